// Test support: the one canary mechanism of every tier. A canary is a secret value no message, log, output or
// plain-text state may ever hold, in any of the forms a secret travels in (raw, percent-encoded, JSON-escaped, base64).
import { randomBytes } from "node:crypto";

const RUN = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const minted: string[] = [];

/**
 * A new canary secret, unique to this test run and recognisable in a dump: `Canary-<label>-<run>-<n>`. Every canary
 * minted in the process is remembered, so {@link findCanaries} and {@link assertNoCanary} check them all by default.
 */
export function canary(label: string): string {
  const value = `Canary-${label.replace(/[^A-Za-z0-9]/g, "")}-${RUN}-${minted.length}`;
  minted.push(value);
  return value;
}

/** Every canary minted so far in this process. */
export function allCanaries(): readonly string[] {
  return minted;
}

/**
 * The base64 cores of `secret` at the three byte alignments: whatever surrounds it (e.g. `user:` in a Basic token),
 * one of them appears in the encoding of any text that contains it.
 */
function base64Cores(secret: string): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret, "utf8")]).toString("base64");
    // Drop the block that holds the padding bytes in front and the last block, which depends on what follows.
    const core = encoded.slice(shift === 0 ? 0 : 4, -4);
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}

/** The forms in which a secret can leak into text. */
export function leakForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), ...base64Cores(secret)])];
}

/** The canaries (default: every one minted) that occur in `text`, in any of their {@link leakForms}. */
export function findCanaries(text: string | readonly string[], canaries: readonly string[] = minted): string[] {
  const haystack = typeof text === "string" ? text : text.join("\n");
  return canaries.filter((c) => leakForms(c).some((form) => haystack.includes(form)));
}

/** Fails when `text` holds any canary; `where` names what was scanned, never the canary's value. */
export function assertNoCanary(where: string, text: string | readonly string[], canaries: readonly string[] = minted): void {
  const found = findCanaries(text, canaries);
  if (found.length > 0) throw new Error(`${where} holds ${found.length} canary secret(s) in plain text`);
}

/**
 * Watches every write to `stream` (the test run's own stdout/stderr) and adds each canary it carries to `found`,
 * keeping a tail so a canary split across two writes is still seen. The writes go through unchanged.
 */
export function watchWritesForCanaries(stream: Pick<NodeJS.WriteStream, "write">, found: Set<string>): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let tail = "";
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
    const window = tail + text;
    for (const c of findCanaries(window, minted)) found.add(c);
    tail = window.slice(-512);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

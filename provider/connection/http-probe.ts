// One short HTTP request from the runner to a remote registry, with Harbor's TLS rules, and what its failure means.
import { Agent, request } from "undici";
import { isTlsVerificationCode } from "../errors";

/** Default time budget of one local probe request. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/** TLS and timeout settings of a probe, taken from the endpoint being tested. */
export interface ProbeOptions {
  insecure: boolean;
  caCertificate?: string;
  timeoutMs: number;
  /** Fixed internet origins mapped to reachable ones (tests); see ConnectionContext.remoteOverrides. */
  remoteOverrides?: Record<string, string>;
}

/** What came back from a probe request: a response, or why there was none. */
export type ProbeResponse =
  | { kind: "response"; status: number; headers: Record<string, string>; body: string }
  | { kind: "unreachable"; code: string }
  | { kind: "timeout" }
  | { kind: "tls"; code: string }
  | { kind: "protocol"; code: string };

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const MAX_BODY_CHARS = 64 * 1024;

/** Maps `url` through the remote overrides (origin → origin), keeping path and query. */
export function applyRemoteOverride(url: string, overrides?: Record<string, string>): string {
  if (!overrides) return url;
  const parsed = new URL(url);
  const target = overrides[parsed.origin];
  if (target === undefined) return url;
  const replacement = new URL(target);
  return `${replacement.origin}${parsed.pathname}${parsed.search}`;
}

function errorCode(e: unknown): string {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    const name = (current as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "AbortError") return "ETIMEDOUT";
    current = (current as { cause?: unknown }).cause;
  }
  return "UNKNOWN";
}

/** Sorts a network error into unreachable / timeout / TLS trust / protocol mismatch by its code. */
export function classifyNetworkError(e: unknown): Exclude<ProbeResponse, { kind: "response" }> {
  const code = errorCode(e);
  if (isTlsVerificationCode(code)) return { kind: "tls", code };
  if (TIMEOUT_CODES.has(code)) return { kind: "timeout" };
  // OpenSSL's "wrong version number" is what https:// against a plain-HTTP port looks like.
  if (code === "EPROTO" || code.startsWith("ERR_SSL_")) return { kind: "protocol", code };
  return { kind: "unreachable", code };
}

/** Builds the undici dispatcher; a CA bundle wins over `insecure`, as in Harbor (src/common/http/transport.go). */
export function createProbeAgent(options: ProbeOptions): Agent {
  const connect =
    options.caCertificate !== undefined && options.caCertificate.trim() !== ""
      ? { ca: options.caCertificate, rejectUnauthorized: true, timeout: options.timeoutMs }
      : { rejectUnauthorized: !options.insecure, timeout: options.timeoutMs };
  return new Agent({ connect, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connections: 2 });
}

/**
 * Sends one request; undici's `request` never follows redirects (a redirect must never carry credentials elsewhere) and reads at
 * most 64 KiB of the body.
 */
export async function probe(
  agent: Agent,
  url: string,
  init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string; timeoutMs: number; remoteOverrides?: Record<string, string> },
): Promise<ProbeResponse> {
  try {
    const res = await request(applyRemoteOverride(url, init.remoteOverrides), {
      method: init.method ?? "GET",
      headers: init.headers,
      body: init.body,
      dispatcher: agent,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    let body = "";
    for await (const chunk of res.body) {
      if (body.length < MAX_BODY_CHARS) body += Buffer.from(chunk as Uint8Array).toString("utf8");
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    return { kind: "response", status: res.statusCode, headers, body: body.slice(0, MAX_BODY_CHARS) };
  } catch (e) {
    return classifyNetworkError(e);
  }
}

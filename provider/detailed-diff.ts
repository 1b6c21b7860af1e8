// Carries diff's per-field result (detailedDiff) to the engine, which @pulumi/pulumi's dynamic-provider host drops.
import { createRequire } from "node:module";

/** How one field changes, in the engine's PropertyDiff terms. */
export type PropertyDiffKind = "update" | "update-replace";

/** field → how it changes; every entry compares the inputs (inputDiff). */
export type DetailedDiff = Record<string, { kind: PropertyDiffKind; inputDiff: true }>;

/** The detailed diff of changed fields, `replaces` marking the ones that force a replacement. */
export function toDetailedDiff(changed: readonly string[], replaces: readonly string[]): DetailedDiff {
  return Object.fromEntries(changed.map((f) => [f, { kind: replaces.includes(f) ? "update-replace" : "update", inputDiff: true } as const]));
}

/** The parts of the generated provider_pb module the bridge uses. */
export interface ProviderProto {
  DiffResponse: { prototype: Record<string, unknown> };
  PropertyDiff: (new () => { setKind(k: number): void; setInputdiff(b: boolean): void }) & { Kind: Record<string, number> };
}

const PATCHED = Symbol.for("pulumi-harbor-endpoints.detailedDiffBridge");
/** The detail of the diff result whose `changes` the host read last, taken by the very next setChanges. */
let pending: DetailedDiff | undefined;

/**
 * Makes the host's DiffResponse carry `diffs` and `detailedDiff`: @pulumi/pulumi 3.270's dynamic-provider host copies
 * only changes/replaces/deleteBeforeReplace from diff's result, so `pulumi preview --diff` showed every field unmarked
 * and `--json` had no detailedDiff. The host reads `result.changes` and calls `resp.setChanges` in one synchronous step,
 * so a getter on `changes` (see {@link withDetailedDiff}) hands the detail to the patched setChanges without any race
 * between concurrent diffs. Returns false (and changes nothing) when the module does not look as expected.
 */
export function installDetailedDiffBridge(proto: ProviderProto | undefined = hostProviderProto()): boolean {
  const prototype = proto?.DiffResponse?.prototype as Record<string | symbol, unknown> | undefined;
  if (!proto || !prototype || typeof proto.PropertyDiff !== "function") return false;
  if (prototype[PATCHED]) return true;
  const setChanges = prototype.setChanges;
  if (typeof setChanges !== "function" || typeof prototype.setDiffsList !== "function" || typeof prototype.getDetaileddiffMap !== "function" || typeof prototype.setHasdetaileddiff !== "function") {
    return false;
  }
  const kinds = proto.PropertyDiff.Kind;
  prototype.setChanges = function (this: Record<string, (...a: unknown[]) => unknown>, value: unknown) {
    const detail = pending;
    pending = undefined;
    if (detail && Object.keys(detail).length > 0) {
      this.setDiffsList!(Object.keys(detail));
      const map = this.getDetaileddiffMap!() as { set(k: string, v: unknown): void };
      for (const [field, d] of Object.entries(detail)) {
        const pd = new proto.PropertyDiff();
        pd.setKind(d.kind === "update-replace" ? kinds.UPDATE_REPLACE! : kinds.UPDATE!);
        pd.setInputdiff(true);
        map.set(field, pd);
      }
      this.setHasdetaileddiff!(true);
    }
    return (setChanges as (this: unknown, v: unknown) => unknown).call(this, value);
  };
  prototype[PATCHED] = true;
  return true;
}

/**
 * The diff result as the host expects it, plus `detailedDiff` (for readers that support it) and a `changes` getter
 * that queues the detail for the bridge's setChanges; the queue is dropped after the current synchronous step.
 */
export function withDetailedDiff<T extends { changes: boolean }>(result: T, detail: DetailedDiff): T & { detailedDiff: DetailedDiff } {
  const out = { ...result, detailedDiff: detail } as T & { detailedDiff: DetailedDiff };
  const changes = result.changes;
  Object.defineProperty(out, "changes", {
    enumerable: true,
    get() {
      pending = detail;
      queueMicrotask(() => {
        if (pending === detail) pending = undefined;
      });
      return changes;
    },
  });
  return out;
}

/** The dynamic-provider host's own provider_pb (resolved from its entry script), or undefined outside that host. */
function hostProviderProto(): ProviderProto | undefined {
  const main = require.main?.filename ?? process.argv[1];
  if (!main || !/[\\/]cmd[\\/]dynamic-provider(?:[\\/]index(?:\.js)?)?$/.test(main)) return undefined;
  try {
    const pb = createRequire(main)("../../proto/provider_pb") as { DiffResponse?: unknown; PropertyDiff?: unknown };
    return pb as unknown as ProviderProto;
  } catch {
    return undefined;
  }
}

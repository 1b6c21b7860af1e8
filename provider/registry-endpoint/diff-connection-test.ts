// The connection test of an endpoint that already exists, run from diff: the engine calls Check one resource at a
// time but, under PULUMI_PARALLEL_DIFF=true, Diff from its worker pool, so N changed endpoints ping in parallel.
import type { ConnectionFailure, ConnectionTarget } from "../connection";
import type { RunPhase } from "../run-phase";
import { type CheckFailure, CONNECTION_FIELDS, connectionTargetOf, runConnectionTest } from "./check";
import { DIFF_TABLE, type RegistryEndpointDiff } from "./diff";
import { type ConnectionTestMode, INPUT_KEYS, isUnknown } from "./schema";

/** Whether and why diff ran the connection test; returned for tests and diagnostics. */
export type DiffConnectionTestDecision =
  | { run: true; reason: "changed" | "always" }
  /** `harbor-health-check`: the update phase, whose POST/PUT makes Harbor run the same health check. */
  | { run: false; reason: "never" | "unchanged" | "unknown-values" | "harbor-health-check" };

/** What `diffConnectionTest` needs from the provider around it. */
export interface DiffConnectionTestContext {
  /** The stack-wide default for `connectionTest`, "onChange" if unset. */
  defaultConnectionTest: ConnectionTestMode;
  /** The run phase the program reported through check; undefined (unknown) is treated as preview. */
  phase?: RunPhase;
  /** Runs the test through the endpoint's (new) connection, bounded by the provider's limit on concurrent pings. */
  testConnection?: (target: ConnectionTarget) => Promise<ConnectionFailure[]>;
  /** Why the test cannot run when `testConnection` is absent. */
  unavailableReason?: string;
}

/** Whether the update after this diff writes to Harbor (a POST of a replacement or a PUT), which health-checks the remote. */
export function harborWriteFollows(diff: RegistryEndpointDiff, state: Record<string, unknown>): boolean {
  if (!diff.changes) return false;
  if (diff.replaces.length > 0) return true;
  // State no write of ours confirmed (no lastWriteTime) is updated with every Harbor field, whatever changed.
  return state.lastWriteTime === undefined || diff.changed.some((f) => !DIFF_TABLE[f].localOnly);
}

/** Decides whether diff tests the connection (issue 5's decision table, as check applies it to new endpoints). */
export function decideDiffConnectionTest(
  state: Record<string, unknown>,
  news: Record<string, unknown>,
  diff: RegistryEndpointDiff,
  ctx: Pick<DiffConnectionTestContext, "defaultConnectionTest" | "phase">,
): DiffConnectionTestDecision {
  const requested = news.connectionTest;
  const mode: ConnectionTestMode = requested === "onChange" || requested === "always" || requested === "never" ? requested : ctx.defaultConnectionTest;
  if (mode === "never") return { run: false, reason: "never" };
  // check already told the user which inputs are unknown; nothing is sent while any is.
  if (INPUT_KEYS.some((k) => isUnknown(news[k]))) return { run: false, reason: "unknown-values" };
  const changed = diff.changed.some((f) => (CONNECTION_FIELDS as readonly string[]).includes(f));
  if (mode !== "always" && !changed) return { run: false, reason: "unchanged" };
  // One ping per change per `pulumi up`: the preview pinged; in the update, Harbor's own health check on the write
  // tests the same settings (and its refusal is diagnosed by create/update). Without a write, "always" still pings.
  if (ctx.phase === "update" && harborWriteFollows(diff, state)) return { run: false, reason: "harbor-health-check" };
  return { run: true, reason: mode === "always" ? "always" : "changed" };
}

/**
 * Runs the connection test of an existing endpoint if the decision table says so. Returns the failures (each naming
 * the input key and the endpoint, never a secret), empty when the test passed or did not run.
 */
export async function diffConnectionTest(
  state: Record<string, unknown>,
  news: Record<string, unknown>,
  diff: RegistryEndpointDiff,
  ctx: DiffConnectionTestContext,
): Promise<{ decision: DiffConnectionTestDecision; failures: CheckFailure[] }> {
  const decision = decideDiffConnectionTest(state, news, diff, ctx);
  if (!decision.run) return { decision, failures: [] };
  if (!ctx.testConnection) {
    const why = ctx.unavailableReason ?? "the Harbor connection is not configured";
    return {
      decision,
      failures: [{ property: "connectionTest", reason: `Harbor's connection test of endpoint "${String(news.name)}" cannot run: ${why}; configure the provider or set connectionTest to "never"` }],
    };
  }
  return { decision, failures: await runConnectionTest(ctx.testConnection, connectionTargetOf(news)) };
}

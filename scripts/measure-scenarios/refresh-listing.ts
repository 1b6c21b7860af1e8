// Benchmark scenario (issue 12, "each change measured before and after in the same run"): a refresh that answers reads
// arriving together from one listing of Harbor's registries (provider/registry-endpoint/read-coalescing.ts), against
// one GET /registries/{id} per endpoint as before. The "before" is a project whose provider runs with
// HARBOR_REFRESH_LISTING=false. Both stacks hold N endpoints (N = --rl-count, 500), so Harbor holds 2N while they are
// refreshed, interleaved, at each Harbor latency of the run, next to the floor's refresh at the same N.
import { type MeasureContext, type MeasureScenario, type StepSummary, type Subject, upBeforeAndAfter } from "../measure-scenario";

type Mode = "one GET per endpoint (HARBOR_REFRESH_LISTING=false, as before)" | "one listing (default)";
const MODES: Mode[] = ["one GET per endpoint (HARBOR_REFRESH_LISTING=false, as before)", "one listing (default)"];
const label = (mode: Mode) => `rl refresh, ${mode}`;
const FLOOR_STEP = "refresh (read)";

const count = (ctx: MeasureContext): number => {
  const v = Number(ctx.options["rl-count"] ?? 500);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--rl-count must be a positive integer, got ${String(ctx.options["rl-count"])}`);
  return v;
};
const latencies = (ctx: MeasureContext): number[] =>
  String(ctx.options.latencies ?? "0")
    .split(",")
    .map((x) => Number(x.trim()))
    .filter((x) => Number.isInteger(x) && x >= 0);

let before: Promise<Subject> | undefined;

/** Per latency: both modes' refresh at the scenario's N, their requests, and the floor's refresh at that N. */
function figures(summaries: readonly StepSummary[], ctx: MeasureContext) {
  const n = count(ctx);
  const find = (step: string, subject: "ours" | "floor", latencyMs: number): StepSummary | undefined =>
    summaries.find((s) => s.step === step && s.n === n && s.subject === subject && (subject === "floor" || s.latencyMs === latencyMs));
  return latencies(ctx).map((latencyMs) => {
    const floor = find(FLOOR_STEP, "floor", latencyMs);
    const rows = MODES.flatMap((mode) => {
      const s = find(label(mode), "ours", latencyMs);
      return s ? [{ mode, n, latencyMs, medianMs: s.medianMs, requests: s.requests?.api ?? null, floorMs: floor?.medianMs ?? null }] : [];
    });
    const [b, a] = MODES.map((mode) => rows.find((r) => r.mode === mode));
    return { latencyMs, rows, afterOverBefore: a && b ? a.medianMs / b.medianMs : undefined };
  });
}

export const scenario: MeasureScenario = {
  name: "refresh-listing",
  options: { "rl-count": { type: "string", default: "500" } },
  async run(ctx, round) {
    const n = count(ctx);
    const { stacks, order } = await upBeforeAndAfter(ctx, round, "rl", n, [
      [MODES[0]!, await (before ??= ctx.createSubject("ours", { HARBOR_REFRESH_LISTING: "false" }))],
      [MODES[1]!, ctx.subjects.ours],
    ]);
    ctx.harborHolds(2 * n, "before the refresh-listing scenario's refreshes");
    for (const latencyMs of latencies(ctx)) {
      await ctx.withLatency(latencyMs, async () => {
        for (const mode of order) await ctx.measure("ours", round, label(mode), n, ctx.ops.refresh(stacks[mode]), {}, { latencyMs });
      });
    }
    for (const mode of MODES) await ctx.ops.destroy(stacks[mode])();
    ctx.harborHolds(0, "after the refresh-listing scenario");
  },
  report(summaries, ctx) {
    const n = count(ctx);
    const lines = [
      "### Before / after in one run: a refresh reads from one listing",
      "",
      `Refresh of ${n} endpoints while Harbor holds ${2 * n} (two stacks). With HARBOR_REFRESH_LISTING=false each endpoint is`,
      "read with its own GET /registries/{id}, as before the change; by default reads that arrive together are answered",
      "from one listing (GET /registries, 100 per page, pages after the first requested together).",
      "",
      "| mode | N | Harbor +ms | median | API requests | ours / floor |",
      "|---|---|---|---|---|---|",
    ];
    for (const f of figures(summaries, ctx)) {
      for (const r of f.rows) lines.push(`| ${r.mode} | ${n} | ${r.latencyMs} | ${r.medianMs} ms | ${r.requests ?? "–"} | ${r.floorMs !== null ? (r.medianMs / r.floorMs).toFixed(2) : "–"} |`);
      if (f.afterOverBefore !== undefined) lines.push(`| after / before | | ${f.latencyMs} | ${f.afterOverBefore.toFixed(2)} | | |`);
    }
    lines.push("", `Floor: the core's "${FLOOR_STEP}" at N = ${n} in the same run (it makes no Harbor request, so one serves every latency).`, "");
    return lines;
  },
  json(summaries, ctx) {
    return figures(summaries, ctx);
  },
};

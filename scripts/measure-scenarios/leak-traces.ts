// Benchmark scenario (issue 12, "each change measured before and after in the same run"): the SDK's registration
// without @pulumi/pulumi's promise-leak stack traces. RegistryEndpoint registers with Error.stackTraceLimit at 0 unless
// PULUMI_DEBUG_PROMISE_LEAKS is set (sdk/registry-endpoint.ts), so a project run with that variable set is the "before":
// every property promise records a full, source-mapped stack trace again. Both previews of N unchanged endpoints
// (N = --lt-count, 500) run interleaved in each round, next to the floor's preview (unchanged) at the same N if the
// core ran one.
import { type MeasureContext, type MeasureScenario, type StepSummary, type Subject, upBeforeAndAfter } from "../measure-scenario";

type Mode = "traces recorded (PULUMI_DEBUG_PROMISE_LEAKS=1, as before)" | "traces off (default)";
const MODES: Mode[] = ["traces recorded (PULUMI_DEBUG_PROMISE_LEAKS=1, as before)", "traces off (default)"];
const label = (mode: Mode) => `lt preview (unchanged), ${mode}`;
const FLOOR_STEP = "preview (unchanged)";

const count = (ctx: MeasureContext): number => {
  const v = Number(ctx.options["lt-count"] ?? 500);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--lt-count must be a positive integer, got ${String(ctx.options["lt-count"])}`);
  return v;
};

let before: Promise<Subject> | undefined;

/** The scenario's steps at its N, each next to the floor's preview (unchanged) at that N when the core ran one. */
function figures(summaries: readonly StepSummary[], ctx: MeasureContext) {
  const n = count(ctx);
  const find = (step: string, subject: "ours" | "floor"): StepSummary | undefined =>
    summaries.find((s) => s.step === step && s.n === n && s.subject === subject && s.latencyMs === 0);
  const floor = find(FLOOR_STEP, "floor");
  const found = MODES.map((mode) => ({ mode, s: find(label(mode), "ours") }));
  const rows = found.flatMap(({ mode, s }) => (s ? [{ mode, n, medianMs: s.medianMs, floorMs: floor?.medianMs ?? null }] : []));
  const [b, a] = found.map((f) => f.s);
  return { n, rows, floor, afterOverBefore: a && b ? a.medianMs / b.medianMs : undefined };
}

export const scenario: MeasureScenario = {
  name: "leak-traces",
  options: { "lt-count": { type: "string", default: "500" } },
  async run(ctx, round) {
    const n = count(ctx);
    const { stacks, order } = await upBeforeAndAfter(ctx, round, "lt", n, [
      [MODES[0]!, await (before ??= ctx.createSubject("ours", { PULUMI_DEBUG_PROMISE_LEAKS: "1" }))],
      [MODES[1]!, ctx.subjects.ours],
    ]);
    for (const mode of order) await ctx.measure("ours", round, label(mode), n, ctx.ops.preview(stacks[mode]), { same: n + 1 });
    for (const mode of MODES) await ctx.ops.destroy(stacks[mode])();
    ctx.harborHolds(0, "after the leak-traces scenario");
  },
  report(summaries, ctx) {
    const { n, rows, floor, afterOverBefore } = figures(summaries, ctx);
    const lines = [
      "### Before / after in one run: the SDK's promise-leak stack traces",
      "",
      `Preview of ${n} unchanged endpoints. With PULUMI_DEBUG_PROMISE_LEAKS=1 RegistryEndpoint registers as it did before`,
      "the change (a source-mapped stack trace on each of 4 promises per property, 20 properties); by default it records none.",
      "",
      "| mode | N | median | ours / floor |",
      "|---|---|---|---|",
      ...rows.map((r) => `| ${r.mode} | ${n} | ${r.medianMs} ms | ${r.floorMs !== null ? (r.medianMs / r.floorMs).toFixed(2) : "–"} |`),
    ];
    if (afterOverBefore !== undefined) lines.push(`| after / before | | ${afterOverBefore.toFixed(2)} | |`);
    if (floor) lines.push("", `Floor: the core's "${FLOOR_STEP}" at N = ${n}, ${floor.medianMs} ms, in the same run.`);
    return lines;
  },
  json(summaries, ctx) {
    return figures(summaries, ctx).rows;
  },
};

// Benchmark scenario (issue 15 + issue 12 target 5): how long users wait for connection tests.
// 1. Pings that take --ct-ping-ms (100 ms): a preview of N changed existing endpoints (N = --ct-counts, 100 and 200),
//    serial vs PULUMI_PARALLEL_DIFF=true, each also with 0 ms pings, so the pinging part is the difference, same run.
// 2. A slow remote (/v2/ answers after --ct-remote-ms, 300 ms): `pulumi up` with its preview of N new endpoints and a
//    preview of N changed ones (N = --ct-remote-count, 100), against the lower bound the engine's serial Check imposes.
import type { Stack } from "@pulumi/pulumi/automation";
import { type MeasureContext, type MeasureScenario, type StepSummary, type Subject, upStack } from "../measure-scenario";

const PING_PATH = "/api/v2.0/registries/ping";
/** The provider's bound on concurrent pings (provider/provider.ts CONNECTION_TEST_CONCURRENCY). */
const BOUND = 8;

const label = {
  preview: (mode: Mode, pingMs: number) => `ct preview (changed), ${pingMs} ms pings, ${mode}`,
  remoteUp: "ct slow remote: up with preview (new)",
  remotePreview: (mode: Mode) => `ct slow remote: preview (changed), ${mode}`,
};
type Mode = "serial" | "parallel diff";

const numbers = (v: unknown, fallback: number[]): number[] =>
  typeof v === "string" && v.trim() !== "" ? v.split(",").map((x) => Number(x.trim())).filter((x) => Number.isInteger(x) && x > 0) : fallback;
const num = (v: unknown, fallback: number): number => (typeof v === "string" && Number.isFinite(Number(v)) ? Number(v) : fallback);

let parallelSubject: Promise<Subject> | undefined;
/** The RegistryEndpoint project run with PULUMI_PARALLEL_DIFF=true (one per benchmark run). */
function parallel(ctx: MeasureContext): Promise<Subject> {
  return (parallelSubject ??= ctx.createSubject("ours", { PULUMI_PARALLEL_DIFF: "true" }));
}

/** A stack of N endpoints created (not measured) and set to the next generation, whose preview changes every one. */
async function changedStack(subject: Subject, name: string, n: number, ctx: MeasureContext): Promise<Stack> {
  const stack = await upStack(ctx, subject, name, n);
  await subject.configure(stack, name, n, 1);
  return stack;
}

export const scenario: MeasureScenario = {
  name: "connection-tests",
  options: {
    "ct-counts": { type: "string", default: "100,200" },
    "ct-ping-ms": { type: "string", default: "100" },
    "ct-remote-count": { type: "string", default: "100" },
    "ct-remote-ms": { type: "string", default: "300" },
  },
  async run(ctx, round) {
    const counts = numbers(ctx.options["ct-counts"], [100, 200]);
    const pingMs = num(ctx.options["ct-ping-ms"], 100);
    const remoteCount = numbers(ctx.options["ct-remote-count"], [100])[0] ?? 100;
    const remoteMs = num(ctx.options["ct-remote-ms"], 300);
    const subjects: Record<Mode, Subject> = { serial: ctx.subjects.ours, "parallel diff": await parallel(ctx) };

    for (const n of counts) {
      const stacks = {} as Record<Mode, Stack>;
      for (const mode of ["serial", "parallel diff"] as Mode[]) stacks[mode] = await changedStack(subjects[mode], `ct${mode === "serial" ? "s" : "p"}${n}r${round}`, n, ctx);
      // Interleaved, so a machine that slows down mid-run slows both modes alike.
      for (const delay of [0, pingMs]) {
        for (const mode of ["serial", "parallel diff"] as Mode[]) {
          if (delay > 0) ctx.sim.inject({ method: "POST", path: PING_PATH, delayMs: delay, times: Infinity });
          try {
            await ctx.measure("ours", round, label.preview(mode, delay), n, ctx.ops.preview(stacks[mode]), { update: n });
          } finally {
            ctx.sim.clearFaults();
          }
        }
      }
      for (const mode of ["serial", "parallel diff"] as Mode[]) await ctx.ops.destroy(stacks[mode])();
    }

    // The slow remote: every GET /v2/ (Harbor's health check of the docker-registry endpoints, which point back at the
    // simulator, and the local diagnosis) answers after remoteMs.
    const n = remoteCount;
    ctx.sim.inject({ method: "GET", path: "/v2/", delayMs: remoteMs, times: Infinity });
    try {
      const fresh = await ctx.subjects.ours.project.stack(`ctr${n}r${round}`);
      await ctx.subjects.ours.configure(fresh, `ctr${n}r${round}`, n, 0);
      await ctx.measure("ours", round, label.remoteUp, n, ctx.ops.upWithPreview(ctx.subjects.ours, fresh), { create: n + 1 });
      await ctx.subjects.ours.configure(fresh, `ctr${n}r${round}`, n, 1);
      const other = await changedStack(subjects["parallel diff"], `ctq${n}r${round}`, n, ctx);
      await ctx.measure("ours", round, label.remotePreview("serial"), n, ctx.ops.preview(fresh), { update: n });
      await ctx.measure("ours", round, label.remotePreview("parallel diff"), n, ctx.ops.preview(other), { update: n });
      ctx.sim.clearFaults();
      await ctx.ops.destroy(fresh)();
      await ctx.ops.destroy(other)();
    } finally {
      ctx.sim.clearFaults();
    }
  },
  report(summaries, ctx) {
    const counts = numbers(ctx.options["ct-counts"], [100, 200]);
    const pingMs = num(ctx.options["ct-ping-ms"], 100);
    const remoteMs = num(ctx.options["ct-remote-ms"], 300);
    const find = (step: string, n: number): StepSummary | undefined => summaries.find((s) => s.step === step && s.n === n);
    const lines = [
      "### Connection tests of changed endpoints: serial vs PULUMI_PARALLEL_DIFF=true",
      "",
      `Preview of N changed existing endpoints (every one changes a connection field), Harbor's ping held ${pingMs} ms; the pinging`,
      `part is the preview's median time minus the same preview's with 0 ms pings. Target with the variable: pinging part`,
      `<= N x ${pingMs} ms / ${BOUND} (the provider's bound on concurrent pings) + 20 %; without it, no slower than serial.`,
      "",
      "| N | mode | preview, 0 ms pings | preview, ${p} ms pings | pinging part | pings | peak concurrent pings | target | met |".replace("${p}", String(pingMs)),
      "|---|---|---|---|---|---|---|---|---|",
    ];
    const json: Record<string, unknown>[] = [];
    for (const n of counts) {
      const part: Partial<Record<Mode, number>> = {};
      for (const mode of ["serial", "parallel diff"] as Mode[]) {
        const zero = find(label.preview(mode, 0), n);
        const slow = find(label.preview(mode, pingMs), n);
        if (!zero || !slow) continue;
        const pinging = slow.medianMs - zero.medianMs;
        part[mode] = pinging;
        const target = mode === "parallel diff" ? Math.round(((n * pingMs) / BOUND) * 1.2) : undefined;
        // A negative part means the machine's noise exceeds the pings: no verdict from such a run.
        const met = target === undefined ? "" : pinging < 0 ? "noise (0 ms preview was slower)" : pinging <= target ? "yes" : "no";
        lines.push(
          `| ${n} | ${mode} | ${zero.medianMs} ms | ${slow.medianMs} ms | ${pinging} ms | ${slow.requests?.ping ?? "?"} | ${slow.requests?.peakConcurrentPings ?? "?"} | ${target === undefined ? "-" : `<= ${target} ms`} | ${met} |`,
        );
        json.push({ n, mode, previewZeroMs: zero.medianMs, previewSlowMs: slow.medianMs, pingingMs: pinging, pings: slow.requests?.ping, peakConcurrentPings: slow.requests?.peakConcurrentPings, targetMs: target });
      }
      if (part.serial !== undefined && part["parallel diff"] !== undefined && part["parallel diff"] > 0) {
        lines.push(`| ${n} | speed-up of the pinging part | | | ${(part.serial / part["parallel diff"]).toFixed(1)}x | | | >= 5x at N = 200 | ${n === 200 ? (part.serial / part["parallel diff"] >= 5 ? "yes" : "no") : ""} |`);
      }
    }
    lines.push(
      "",
      `### Slow remote: /v2/ answers after ${remoteMs} ms`,
      "",
      "Lower bound: the engine calls Check one resource at a time, so every ping of a new endpoint waits for the one before;",
      `that chain is the GET /v2/ requests Harbor's pings make (counted) x ${remoteMs} ms. Diffs of existing endpoints run in`,
      `parallel only with PULUMI_PARALLEL_DIFF=true, bounded by ${BOUND} concurrent pings.`,
      "",
      "| step | N | median | pings | GET /v2/ | serial-Check lower bound | ours / bound |",
      "|---|---|---|---|---|---|---|",
    );
    const remote = summaries.filter((s) => s.step.startsWith("ct slow remote"));
    const perPing = (() => {
      const s = remote.find((x) => x.step === label.remotePreview("serial"));
      return s?.requests && s.requests.ping > 0 ? s.requests.healthCheck / s.requests.ping : undefined;
    })();
    for (const s of remote) {
      const pings = s.requests?.ping ?? 0;
      // In a preview every GET /v2/ comes from a ping; in an up the POSTs' health checks add theirs (in parallel).
      const v2 = s.step === label.remoteUp ? (perPing === undefined ? undefined : pings * perPing) : s.requests?.healthCheck;
      const bound = v2 === undefined ? undefined : Math.round(v2 * remoteMs);
      lines.push(`| ${s.step.replace("ct slow remote: ", "")} | ${s.n} | ${s.medianMs} ms | ${pings} | ${s.requests?.healthCheck ?? "?"} | ${bound === undefined ? "?" : `${bound} ms`} | ${bound ? (s.medianMs / bound).toFixed(2) : "-"} |`);
      json.push({ step: s.step, n: s.n, medianMs: s.medianMs, pings, healthChecks: s.requests?.healthCheck, serialCheckLowerBoundMs: bound });
    }
    (scenario as { lastJson?: unknown }).lastJson = json;
    return lines;
  },
  json(summaries, ctx) {
    scenario.report?.(summaries, ctx);
    return (scenario as { lastJson?: unknown }).lastJson;
  },
};

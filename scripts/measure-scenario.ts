// The plug-in point of the benchmark (scripts/measure.ts): a scenario is a module under scripts/measure-scenarios/
// exporting `scenario: MeasureScenario`. measure.ts loads every such module (or those named with --scenario), runs
// each scenario once per round after the core lifecycle, and appends its report section to the markdown and JSON.
import type { OpMap, Stack } from "@pulumi/pulumi/automation";
import type { HarborSimulator } from "../simulator";
import type { E2eProject, EngineLocation } from "../tests/support/engine";

/** Harbor requests of one step, split by who made them and by route. */
export interface RequestTally {
    /** Every request the simulator received. */
    total: number;
    /** `POST /registries/ping`: the connection test. */
    ping: number;
    /** Every other Harbor API request (`/api/...`) the provider made. */
    api: number;
    /** `GET /v2/` and `GET /service/token` on the simulator: Harbor's own health check of docker-registry endpoints that point back at it. */
    healthCheck: number;
    /** Count per `METHOD /route` (numeric path segments as `{id}`). */
    byRoute: Record<string, number>;
    /** Most `POST /registries/ping` requests Harbor was answering at the same time. */
    peakConcurrentPings?: number;
}

/** Who ran a step: RegistryEndpoint against the simulator, or the no-network dynamic provider (the engine floor). */
export type SubjectName = "ours" | "floor";

/** One measured engine operation. */
export interface Step {
    subject: SubjectName;
    /** Which round of the run (each round runs every step once per subject). */
    round: number;
    /** What ran, e.g. "up (create)". Scenario steps should carry a distinct label. */
    step: string;
    /** Resources in the stack. */
    n: number;
    /** Added Harbor latency per API request during the step, in ms (0 for the floor). */
    latencyMs: number;
    /** Wall time of the engine call (CLI start to exit), in milliseconds. */
    wallMs: number;
    /** What the engine reported (create/update/same/delete ...). */
    changes: Record<string, number>;
    /** Harbor requests during the step (ours only). */
    requests?: RequestTally;
    /** Peak resident set (VmHWM) of the largest dynamic-provider process during the step, in KiB; absent if none was seen. */
    providerPeakRssKiB?: number;
    /**
     * CPU time (user + system) of the processes the step started and reaped: the engine and, through it, its language
     * host, program and provider processes (this process's `cutime + cstime` in /proc/self/stat), in ms. The simulator
     * runs in this process and is not counted. Absent where /proc is not available.
     */
    childCpuMs?: number;
}

/** One step over every round. */
export interface StepSummary {
    subject: SubjectName;
    step: string;
    n: number;
    latencyMs: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
    roundsMs: number[];
    requests?: RequestTally;
    /** Whether every round made exactly the same requests (ping peaks aside). */
    requestsStable: boolean;
    /** Highest provider peak RSS over the rounds, KiB. */
    providerPeakRssKiB?: number;
    /** Median CPU of the step's engine process tree over the rounds, ms (see {@link Step.childCpuMs}). */
    childCpuMs?: number;
}

/** One thing measured: the RegistryEndpoint program against the simulator, or the no-network floor program. */
export interface Subject {
    name: SubjectName;
    project: E2eProject;
    /** Type token of its resources in the exported state. */
    type: string;
    /** Sets the stack config for N resources of a generation (a new generation changes a connection field of each). */
    configure(stack: Stack, prefix: string, n: number, generation: number): Promise<void>;
}

/** Options of one {@link MeasureContext.measure} call. */
export interface MeasureStepOptions {
    /** Added Harbor latency recorded with the step (the caller injects it; see {@link MeasureContext.withLatency}). */
    latencyMs?: number;
}

/** What a scenario gets: the shared simulator, both subjects, and the recording helpers of the core benchmark. */
export interface MeasureContext {
    /** The Pulumi CLI in use. */
    engine: EngineLocation;
    /** The one Harbor simulator of the run (request log reset by every measure() call; faults are the caller's to clear). */
    sim: HarborSimulator;
    /** RegistryEndpoint's project (installed from the packed tarball or linked, per --install) and the floor's. */
    subjects: Record<SubjectName, Subject>;
    /** Creates another project of the same subject kind, e.g. with extra environment (PULUMI_PARALLEL_DIFF=true). Disposed at the end of the run. */
    createSubject(name: SubjectName, env?: Record<string, string>): Promise<Subject>;
    /** The options parsed from the command line (the core's and every scenario's `options`). */
    options: Record<string, string | boolean | string[] | undefined>;
    /** Rounds of the run. */
    rounds: number;
    /**
     * Runs one engine operation: resets the simulator's log, times `run`, checks the engine's change counts against
     * `want`, tallies the requests (ours) and the provider's peak RSS, and records the step for the report.
     */
    measure(subject: SubjectName, round: number, step: string, n: number, run: () => Promise<Record<string, number>>, want: Record<string, number>, opts?: MeasureStepOptions): Promise<Step>;
    /** Runs `fn` with every Harbor API request delayed by `ms` (nothing injected when 0). */
    withLatency<T>(ms: number, fn: () => Promise<T>): Promise<T>;
    /** Engine operations returning the change counts: Automation API preview / up (--skip-preview) / refresh / destroy. */
    ops: {
        preview(stack: Stack): () => Promise<Record<string, number>>;
        up(stack: Stack): () => Promise<Record<string, number>>;
        /** The plain CLI's `pulumi up --yes` WITH its preview, as users run it. */
        upWithPreview(subject: Subject, stack: Stack): () => Promise<Record<string, number>>;
        refresh(stack: Stack): () => Promise<Record<string, number>>;
        destroy(stack: Stack): () => Promise<Record<string, number>>;
    };
    /** Throws unless Harbor holds exactly `count` endpoints. */
    harborHolds(count: number, when: string): void;
    /** Engine change counts as a plain record (drops zero and absent entries). */
    changesOf(map: OpMap | Record<string, number | undefined> | undefined): Record<string, number>;
}

/** A benchmark scenario contributed by its own module (scripts/measure-scenarios/<name>.ts, `export const scenario`). */
export interface MeasureScenario {
    /** Short id, selectable with `--scenario <name>` (repeatable; `--scenario none` runs none). */
    name: string;
    /** Extra command-line options (node:util parseArgs format), merged into the benchmark's own. */
    options?: Record<string, { type: "string" | "boolean"; default?: string | boolean; multiple?: boolean }>;
    /** Runs the scenario's steps for one round, after the core lifecycle; record each with `ctx.measure`. */
    run(ctx: MeasureContext, round: number): Promise<void>;
    /** Markdown lines of the scenario's report section (a `###` heading first), from every step's summary. */
    report?(summaries: readonly StepSummary[], ctx: MeasureContext): string[];
    /** Extra figures for the JSON report, under `scenarios[name]`. */
    json?(summaries: readonly StepSummary[], ctx: MeasureContext): unknown;
}

/** A stack `name` of `n` endpoints (generation 0) in the subject's project, brought up (not measured). */
export async function upStack(ctx: MeasureContext, subject: Subject, name: string, n: number): Promise<Stack> {
    const stack = await subject.project.stack(name);
    await subject.configure(stack, name, n, 0);
    await ctx.ops.up(stack)(); // not measured
    return stack;
}

/**
 * The stacks of a before/after scenario: for each mode, in its subject's project, a stack of `n` endpoints brought up
 * (not measured), named `<prefix><index>n<n>r<round>`; and the order this round measures the modes in (alternating who
 * goes first spreads warm-up and background load over both).
 */
export async function upBeforeAndAfter<M extends string>(
    ctx: MeasureContext,
    round: number,
    prefix: string,
    n: number,
    subjects: readonly (readonly [M, Subject])[],
): Promise<{ stacks: Record<M, Stack>; order: M[] }> {
    const stacks = {} as Record<M, Stack>;
    for (const [i, [mode, subject]] of subjects.entries()) stacks[mode] = await upStack(ctx, subject, `${prefix}${i}n${n}r${round}`, n);
    const modes = subjects.map(([mode]) => mode);
    return { stacks, order: round % 2 === 1 ? modes : [...modes].reverse() };
}

// The benchmark: one run of the real Pulumi engine against the Harbor simulator, reporting sizes, request counts and times.
//
// Usage: scripts/measure.sh [--out figures.json] [--up-count 50] [--preview-count 100] [--rounds 3]
// Every figure is a count, a ratio, a size or a wall time measured in this one run; a trivial no-network dynamic
// provider runs the same steps in the same run as the engine's own floor, so times are reported against it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { OpMap, Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, type HarborSimulator, type SimulatorRequest } from "../simulator";
import { createProject, findEngine, repoRoot, type E2eProject } from "../tests/support/engine";
import type { EndpointSpec } from "../tests/e2e/programs/endpoints";

const ENDPOINT_TYPE = "pulumi-nodejs:dynamic/harbor:RegistryEndpoint";
const FLOOR_TYPE = "pulumi-nodejs:dynamic/measure:Floor";
const PING_PATH = "/api/v2.0/registries/ping";
/** Latency added to every ping in the slow-Harbor preview step. */
const PING_DELAY_MS = 100;
const SLOW_PING_STEP = `preview (changed, ping +${PING_DELAY_MS} ms)`;

/** Harbor requests of one step, split by who made them and by route. */
interface RequestTally {
    /** Every request the simulator received. */
    total: number;
    /** `POST /registries/ping`: the preview-time connection test. */
    ping: number;
    /** Every other Harbor API request (`/api/...`) the provider made. */
    api: number;
    /** `GET /v2/` on the simulator: Harbor's own health check of docker-registry endpoints that point back at it. */
    healthCheck: number;
    /** Count per `METHOD /route` (numeric path segments as `{id}`). */
    byRoute: Record<string, number>;
    /** Most `POST /registries/ping` requests Harbor was answering at the same time. */
    peakConcurrentPings?: number;
}

/** One measured engine operation. */
interface Step {
    /** `ours` (RegistryEndpoint against the simulator) or `floor` (no-network dynamic provider). */
    subject: "ours" | "floor";
    /** Which round of the run (each round runs every step once per subject). */
    round: number;
    /** What ran, e.g. "up (create)". */
    step: string;
    /** Resources in the stack. */
    n: number;
    /** Wall time of the Automation API call (CLI start to exit), in milliseconds. */
    wallMs: number;
    /** What the engine reported (create/update/same/delete ...). */
    changes: Record<string, number>;
    /** Harbor requests during the step (ours only). */
    requests?: RequestTally;
}

/** Sizes in the exported state (`pulumi stack export`, secrets as ciphertext). */
interface StateFigures {
    resources: number;
    /** Length of the serialized `__provider` string per resource. */
    providerBytes: { avg: number; min: number; max: number };
    /** Bytes of the whole exported deployment divided by the number of resources. */
    deploymentBytesPerResource: number;
    /** Bytes of the whole exported deployment. */
    deploymentBytes: number;
    /** Average JSON size of one resource entry (inputs + outputs + metadata). */
    resourceEntryBytes: number;
    /** Whether every resource stores accessSecret as a Pulumi secret (ciphertext object), never plain text. */
    accessSecretIsCiphertext: boolean;
}

function tally(requests: readonly SimulatorRequest[]): RequestTally {
    const t: RequestTally = { total: 0, ping: 0, api: 0, healthCheck: 0, byRoute: {} };
    for (const r of requests) {
        t.total++;
        const route = `${r.method} ${r.path.replace(/^\/api\/v2\.0/, "").replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
        t.byRoute[route] = (t.byRoute[route] ?? 0) + 1;
        if (r.method === "POST" && r.path.replace(/\/+$/, "") === PING_PATH) t.ping++;
        else if (r.path.startsWith("/v2/") || r.path === "/v2") t.healthCheck++;
        else t.api++;
    }
    return t;
}

function changesOf(map: OpMap | Record<string, number | undefined> | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(map ?? {}).filter(([, v]) => typeof v === "number" && v > 0)) as Record<string, number>;
}

function expectChanges(step: string, got: Record<string, number>, want: Record<string, number>): void {
    for (const [op, n] of Object.entries(want)) {
        if ((got[op] ?? 0) !== n) throw new Error(`${step}: expected ${op}=${n}, the engine reported ${JSON.stringify(got)}`);
    }
}

/** The endpoints of one generation: even indexes huawei-SWR (healthy without traffic), odd docker-registry at the simulator. */
function endpointSpecs(prefix: string, n: number, generation: number, sim: HarborSimulator, pullers: { username: string; password: string }[]) {
    const specs: EndpointSpec[] = [];
    const secrets: Record<string, string> = {};
    const width = String(n - 1).length;
    for (let i = 0; i < n; i++) {
        const logical = `${prefix}-${String(i).padStart(width, "0")}`;
        const puller = pullers[generation % pullers.length]!;
        if (i % 2 === 0) {
            specs.push({ logical, args: { providerName: "huawei-SWR", endpointUrl: `https://swr-${i}.example.com`, accessId: "cn-north-4@AK", description: `endpoint ${i}` } });
            secrets[logical] = `measure-swr-${generation}-${i}`;
        } else {
            // A change of generation switches the remote account (accessId + accessSecret): a connection-field change
            // that stays healthy, so preview and up run the connection test and Harbor's health check for real.
            specs.push({ logical, args: { providerName: "docker-registry", endpointUrl: sim.url, accessId: puller.username, description: `endpoint ${i}` } });
            secrets[logical] = puller.password;
        }
    }
    return { specs, secrets };
}

// The floor: the same shape of program with a dynamic provider that does nothing but echo its inputs.
const FLOOR_PROGRAM = `// Generated by scripts/measure.ts: N dynamic resources whose provider makes no network call.
const pulumi = require("@pulumi/pulumi");
const provider = {
  async check(olds, news) { return { inputs: news }; },
  async diff(id, olds, news) {
    const keys = ["providerName", "endpointUrl", "accessId", "accessSecret", "description"];
    return { changes: keys.some((k) => olds[k] !== news[k]) };
  },
  async create(inputs) { return { id: inputs.name, outs: inputs }; },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) { return { outs: news }; },
  async delete() {},
};
class Floor extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, args, undefined, "measure", "Floor"); }
}
const config = new pulumi.Config("floor");
const count = config.requireNumber("count");
const generation = config.requireNumber("generation");
const width = String(count - 1).length;
for (let i = 0; i < count; i++) {
  const name = "f-" + String(i).padStart(width, "0");
  new Floor(name, {
    name, providerName: "huawei-SWR", endpointUrl: "https://swr-" + i + ".example.com", accessId: "cn-north-4@AK",
    accessSecret: pulumi.secret("floor-" + generation + "-" + i), description: "endpoint " + i,
  });
}
`;

function stateFigures(project: E2eProject, stackName: string, type: string): StateFigures {
    const exported = project.exportStack(stackName);
    const resources = (exported.deployment as { deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } })
        .deployment.resources.filter((r) => r.type === type);
    if (resources.length === 0) throw new Error(`no ${type} in the exported state of ${stackName}`);
    const providers = resources.map((r) => String(r.inputs?.__provider ?? "").length);
    const deploymentBytes = Buffer.byteLength(exported.text);
    const isCiphertext = (v: unknown): boolean =>
        typeof v === "object" && v !== null && (v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270" &&
        typeof (v as Record<string, unknown>).ciphertext === "string";
    return {
        resources: resources.length,
        providerBytes: {
            avg: Math.round(providers.reduce((a, b) => a + b, 0) / providers.length),
            min: Math.min(...providers),
            max: Math.max(...providers),
        },
        deploymentBytesPerResource: Math.round(deploymentBytes / resources.length),
        deploymentBytes,
        resourceEntryBytes: Math.round(resources.reduce((a, r) => a + Buffer.byteLength(JSON.stringify(r)), 0) / resources.length),
        accessSecretIsCiphertext: resources.every((r) => isCiphertext(r.inputs?.accessSecret) && isCiphertext(r.outputs?.accessSecret)),
    };
}

/** One thing measured: the RegistryEndpoint program against the simulator, or the no-network floor program. */
interface Subject {
    name: Step["subject"];
    project: E2eProject;
    /** Type token of its resources in the exported state. */
    type: string;
    /** Sets the stack config for N resources of a generation (a new generation changes a connection field of each). */
    configure(stack: Stack, prefix: string, n: number, generation: number): Promise<void>;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            out: { type: "string" },
            "up-count": { type: "string", default: "50" },
            "preview-count": { type: "string", default: "100" },
            rounds: { type: "string", default: "3" },
        },
    });
    const upCount = Number(values["up-count"]);
    const previewCount = Number(values["preview-count"]);
    const rounds = Number(values.rounds);
    if (!(upCount >= 2 && previewCount >= 2 && rounds >= 1)) throw new Error("--up-count and --preview-count must be >= 2, --rounds >= 1");

    const engine = findEngine();
    if (!engine) throw new Error("the Pulumi CLI is not available: run scripts/measure.sh (it builds or finds it via scripts/engine.sh)");
    const started = Date.now();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-measure-"));
    const floorProgram = path.join(tmp, "floor-program.js");
    fs.writeFileSync(floorProgram, FLOOR_PROGRAM);

    // Two remote accounts on the simulator's own /v2/: switching between them is a connection change that stays healthy.
    const pullers = [0, 1].map((g) => ({ username: `measure-puller-${g}`, password: `measure-pull-${g}-${Math.random().toString(36).slice(2)}` }));
    // Peak of pings Harbor is answering at once: on each response, the pings still unanswered plus the one just answered.
    let peakPings = 0;
    let simRef: HarborSimulator | undefined;
    const sim = await startHarborSimulator({
        users: pullers,
        onResponse: (info) => {
            if (info.method !== "POST" || info.path.replace(/\/+$/, "") !== PING_PATH || !simRef) return;
            const open = simRef.requests.filter((r) => r.status === 0 && r.method === "POST" && r.path.replace(/\/+$/, "") === PING_PATH).length;
            peakPings = Math.max(peakPings, open + 1);
        },
    });
    simRef = sim;
    const harborConfig = {
        "harbor:url": { value: sim.url },
        "harbor:username": { value: sim.username },
        "harbor:password": { value: sim.password, secret: true },
    };
    const oursProject = await createProject(engine, { name: "harbor-measure", program: path.join(repoRoot, "dist", "tests", "e2e", "programs", "endpoints.js") });
    const floorProject = await createProject(engine, { name: "harbor-measure-floor", program: floorProgram });
    const subjects: Record<Step["subject"], Subject> = {
        ours: {
            name: "ours",
            project: oursProject,
            type: ENDPOINT_TYPE,
            async configure(s, prefix, n, generation) {
                const { specs, secrets } = endpointSpecs(prefix, n, generation, sim, pullers);
                await s.setAllConfig({
                    ...harborConfig,
                    "e2e:endpoints": { value: JSON.stringify(specs) },
                    "e2e:secrets": { value: JSON.stringify(secrets), secret: true },
                });
            },
        },
        floor: {
            name: "floor",
            project: floorProject,
            type: FLOOR_TYPE,
            async configure(s, _prefix, n, generation) {
                await s.setAllConfig({ "floor:count": { value: String(n) }, "floor:generation": { value: String(generation) } });
            },
        },
    };
    const steps: Step[] = [];
    const state: Partial<Record<Step["subject"], StateFigures>> = {};

    /** Runs one engine operation, timing it and tallying the simulator's request log around it. */
    async function measure(subject: Step["subject"], round: number, step: string, n: number, run: () => Promise<Record<string, number>>, want: Record<string, number>) {
        sim.resetRequests();
        peakPings = 0;
        const t0 = performance.now();
        const changes = await run();
        const wallMs = Math.round(performance.now() - t0);
        expectChanges(`${subject} ${step}`, changes, want);
        const requests = subject === "ours" ? { ...tally(sim.requests), peakConcurrentPings: peakPings } : undefined;
        steps.push({ subject, round, step, n, wallMs, changes, ...(requests ? { requests } : {}) });
        process.stderr.write(`  round ${round} ${subject.padEnd(5)} ${step.padEnd(20)} N=${String(n).padEnd(4)} ${String(wallMs).padStart(6)} ms${requests ? `  requests ${requests.total}` : ""}\n`);
    }
    const preview = (s: Stack) => async () => changesOf((await s.preview()).changeSummary);
    const up = (s: Stack) => async () => changesOf((await s.up()).summary.resourceChanges);
    const refresh = (s: Stack) => async () => changesOf((await s.refresh()).summary.resourceChanges);
    const destroy = (s: Stack) => async () => changesOf((await s.destroy()).summary.resourceChanges);
    const harborHolds = (count: number, when: string) => {
        if (sim.storedRegistries().length !== count) throw new Error(`${when}: Harbor holds ${sim.storedRegistries().length} endpoints, not ${count}`);
    };

    /** The whole measured lifecycle of one subject: N=upCount create/read/update/delete, then N=previewCount previews. */
    async function lifecycle(x: Subject, round: number): Promise<void> {
        const ours = x.name === "ours";
        const a = await x.project.stack(`${x.name}-a${round}`);
        await x.configure(a, `a${round}`, upCount, 0);
        await measure(x.name, round, "preview (new)", upCount, preview(a), { create: upCount + 1 });
        if (ours) harborHolds(0, "after preview");
        await measure(x.name, round, "up (create)", upCount, up(a), { create: upCount + 1 });
        if (ours) harborHolds(upCount, "after up");
        if (round === 1) state[x.name] = stateFigures(x.project, `${x.name}-a${round}`, x.type);
        await measure(x.name, round, "preview (unchanged)", upCount, preview(a), { same: upCount + 1 });
        await measure(x.name, round, "refresh (read)", upCount, refresh(a), {});
        await x.configure(a, `a${round}`, upCount, 1);
        await measure(x.name, round, "preview (changed)", upCount, preview(a), { update: upCount });
        await measure(x.name, round, "up (update)", upCount, up(a), { update: upCount });
        await measure(x.name, round, "destroy (delete)", upCount, destroy(a), { delete: upCount + 1 });
        if (ours) harborHolds(0, "after destroy");

        const b = await x.project.stack(`${x.name}-b${round}`);
        await x.configure(b, `b${round}`, previewCount, 0);
        await measure(x.name, round, "up (create)", previewCount, up(b), { create: previewCount + 1 });
        await measure(x.name, round, "preview (unchanged)", previewCount, preview(b), { same: previewCount + 1 });
        await x.configure(b, `b${round}`, previewCount, 1);
        await measure(x.name, round, "preview (changed)", previewCount, preview(b), { update: previewCount });
        if (ours) {
            // With a slow Harbor the provider's bound on concurrent pings shows: each ping held for PING_DELAY_MS.
            sim.inject({ method: "POST", path: PING_PATH, delayMs: PING_DELAY_MS, times: Infinity });
            try {
                await measure(x.name, round, SLOW_PING_STEP, previewCount, preview(b), { update: previewCount });
            } finally {
                sim.clearFaults();
            }
        }
        await measure(x.name, round, "destroy (delete)", previewCount, destroy(b), { delete: previewCount + 1 });
        if (ours) harborHolds(0, "after destroy");
    }

    try {
        process.stderr.write(`measuring ${rounds} round(s): N=${upCount} for up/refresh/update/destroy, N=${previewCount} for previews\n`);
        for (let round = 1; round <= rounds; round++) {
            // Alternating who goes first spreads warm-up and background load over both subjects.
            const order = round % 2 === 1 ? [subjects.floor, subjects.ours] : [subjects.ours, subjects.floor];
            for (const x of order) await lifecycle(x, round);
        }
    } finally {
        oursProject.dispose();
        floorProject.dispose();
        await sim.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }

    const report = buildReport(steps, state as Record<Step["subject"], StateFigures>, upCount, previewCount, rounds, Date.now() - started);
    process.stdout.write(report.text);
    if (values.out) {
        fs.writeFileSync(values.out, `${JSON.stringify(report.json, null, 2)}\n`);
        process.stderr.write(`figures written to ${values.out}\n`);
    }
}

/** One step over every round: median wall time, and the request tally (identical in every round, or flagged). */
interface StepSummary {
    subject: Step["subject"];
    step: string;
    n: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
    roundsMs: number[];
    requests?: RequestTally;
    /** Whether every round made exactly the same requests (ping peaks aside). */
    requestsStable: boolean;
}

const STEP_ORDER = ["preview (new)", "up (create)", "preview (unchanged)", "refresh (read)", "preview (changed)", SLOW_PING_STEP, "up (update)", "destroy (delete)"];

function summarise(steps: Step[]): StepSummary[] {
    const groups = new Map<string, Step[]>();
    for (const s of steps) {
        const key = `${s.subject}|${s.step}|${s.n}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    const routesOf = (s: Step) => JSON.stringify(Object.entries(s.requests?.byRoute ?? {}).sort());
    return [...groups.values()]
        .map((g) => {
            const ms = g.map((s) => s.wallMs);
            return {
                subject: g[0]!.subject,
                step: g[0]!.step,
                n: g[0]!.n,
                medianMs: median(ms),
                minMs: Math.min(...ms),
                maxMs: Math.max(...ms),
                roundsMs: ms,
                ...(g[0]!.requests ? { requests: { ...g[0]!.requests, peakConcurrentPings: Math.max(...g.map((s) => s.requests?.peakConcurrentPings ?? 0)) } } : {}),
                requestsStable: g.every((s) => routesOf(s) === routesOf(g[0]!)),
            };
        })
        .sort((a, b) => a.subject.localeCompare(b.subject) || a.n - b.n || STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));
}

function find(summaries: StepSummary[], subject: Step["subject"], step: string, n: number): StepSummary {
    const s = summaries.find((x) => x.subject === subject && x.step === step && x.n === n);
    if (!s) throw new Error(`no measured step ${subject} ${step} N=${n}`);
    return s;
}

const per = (count: number, n: number): string => (count / n).toFixed(2).replace(/\.00$/, "");

function routes(t: RequestTally | undefined, n: number): string {
    if (!t) return "";
    // Harbor's own GET /v2/ (its health check of the remote) is counted in its own column, not as the provider's.
    const parts = Object.entries(t.byRoute)
        .filter(([r]) => !r.startsWith("GET /v2"))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([r, c]) => `${r} ×${per(c, n)}`);
    return parts.length > 0 ? parts.join(", ") : "none";
}

function buildReport(steps: Step[], state: Record<Step["subject"], StateFigures>, upCount: number, previewCount: number, rounds: number, totalMs: number) {
    const summaries = summarise(steps);
    const lines: string[] = [];
    const table = (header: string[], rows: string[][]) => {
        lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`), "");
    };
    const ratio = (a: number, b: number) => (a / b).toFixed(2);

    lines.push(`### State (exported deployment of ${upCount} endpoints; floor = ${upCount} no-network dynamic resources)`, "");
    table(["figure", "RegistryEndpoint", "floor", "ours / floor"], [
        ["`__provider` bytes per resource (avg / min / max)", `${state.ours.providerBytes.avg} / ${state.ours.providerBytes.min} / ${state.ours.providerBytes.max}`, `${state.floor.providerBytes.avg}`, ratio(state.ours.providerBytes.avg, state.floor.providerBytes.avg)],
        ["exported deployment bytes / N", `${state.ours.deploymentBytesPerResource}`, `${state.floor.deploymentBytesPerResource}`, ratio(state.ours.deploymentBytesPerResource, state.floor.deploymentBytesPerResource)],
        ["exported deployment bytes (total)", `${state.ours.deploymentBytes}`, `${state.floor.deploymentBytes}`, ""],
        ["one resource entry in state, bytes (avg)", `${state.ours.resourceEntryBytes}`, `${state.floor.resourceEntryBytes}`, ratio(state.ours.resourceEntryBytes, state.floor.resourceEntryBytes)],
        ["accessSecret stored as ciphertext", state.ours.accessSecretIsCiphertext ? "yes" : "NO", state.floor.accessSecretIsCiphertext ? "yes" : "NO", ""],
    ]);

    lines.push(`### Engine operations: median wall time of ${rounds} round(s) against the floor; Harbor requests per endpoint`, "");
    const ratios: Record<string, number> = {};
    table(
        ["step", "N", "ours ms (min–max)", "floor ms (min–max)", "ours / floor", "pings / N", "other API / N", "Harbor's own GET /v2/ / N ¹", "peak concurrent pings"],
        summaries.filter((s) => s.subject === "ours").map((s) => {
            const f = summaries.find((x) => x.subject === "floor" && x.step === s.step && x.n === s.n);
            const r = s.requests!;
            if (f) ratios[`${s.step} N=${s.n}`] = Number(ratio(s.medianMs, f.medianMs));
            return [
                s.step, String(s.n), `${s.medianMs} (${s.minMs}–${s.maxMs})`, f ? `${f.medianMs} (${f.minMs}–${f.maxMs})` : "–", f ? ratio(s.medianMs, f.medianMs) : "–",
                per(r.ping, s.n), per(r.api, s.n), per(r.healthCheck, s.n), r.ping > 0 ? String(r.peakConcurrentPings ?? 0) : "–",
            ];
        }),
    );
    lines.push(
        "¹ Harbor's health check of the docker-registry endpoints (half of N), which point back at the simulator: requests Harbor makes, not the provider.",
        "",
    );

    lines.push("### Harbor API requests per provider operation (the simulator's request log during real engine runs, divided by N)", "");
    const op = (label: string, s: StepSummary, note: string): string[] => [label, per(s.requests!.api, s.n), per(s.requests!.ping, s.n), routes(s.requests, s.n), note];
    const create = find(summaries, "ours", "up (create)", upCount);
    const read = find(summaries, "ours", "refresh (read)", upCount);
    const update = find(summaries, "ours", "up (update)", upCount);
    const del = find(summaries, "ours", "destroy (delete)", upCount);
    const unchanged = find(summaries, "ours", "preview (unchanged)", previewCount);
    const changed = find(summaries, "ours", "preview (changed)", previewCount);
    const floorChanged = find(summaries, "floor", "preview (changed)", previewCount);
    const slow = find(summaries, "ours", SLOW_PING_STEP, previewCount);
    table(["operation", "API requests / endpoint", "pings / endpoint", "routes (per endpoint)", "measured in"], [
        op("create (+ check of a new endpoint)", create, `up of ${create.n} new`),
        op("read (refresh)", read, `refresh of ${read.n}`),
        op("update (+ check of changed credentials)", update, `up of ${update.n} changed`),
        op("delete", del, `destroy of ${del.n}`),
        op("preview, unchanged endpoints", unchanged, `preview of ${unchanged.n}`),
        op("preview, changed connection fields", changed, `preview of ${changed.n}`),
    ]);
    const unstable = summaries.filter((s) => s.subject === "ours" && !s.requestsStable).map((s) => `${s.step} N=${s.n}`);
    lines.push(
        `Preview of ${changed.n} changed endpoints: ${changed.medianMs} ms median (floor ${floorChanged.medianMs} ms, ratio ${ratio(changed.medianMs, floorChanged.medianMs)}), ` +
            `${changed.requests!.ping} pings (at most ${changed.requests!.peakConcurrentPings} at once), ${changed.requests!.api} other API requests; ` +
            `preview of ${unchanged.n} unchanged: ${unchanged.requests!.total} requests. ` +
            `With every ping held ${PING_DELAY_MS} ms by Harbor, the same preview took ${slow.medianMs} ms with at most ${slow.requests!.peakConcurrentPings} pings at once ` +
            `(lower bound at that peak: ${Math.ceil(slow.requests!.ping / Math.max(1, slow.requests!.peakConcurrentPings ?? 1)) * PING_DELAY_MS} ms of pinging). ` +
            `Request counts ${unstable.length === 0 ? "identical in every round" : `differed between rounds in: ${unstable.join(", ")}`}. ` +
            `Whole run: ${(totalMs / 1000).toFixed(0)} s on ${os.cpus().length} CPUs, Node ${process.version}.`,
        "",
    );

    const perOp = (s: StepSummary) => ({ api: s.requests!.api / s.n, ping: s.requests!.ping / s.n, byRoute: s.requests!.byRoute });
    const json = {
        measuredAt: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        upCount,
        previewCount,
        rounds,
        totalMs,
        state,
        summaries,
        ratios,
        perOperation: { create: perOp(create), read: perOp(read), update: perOp(update), delete: perOp(del) },
        previews: {
            unchanged: { n: unchanged.n, medianMs: unchanged.medianMs, requests: unchanged.requests },
            changed: { n: changed.n, medianMs: changed.medianMs, floorMedianMs: floorChanged.medianMs, requests: changed.requests },
            changedWithSlowPings: { n: slow.n, pingDelayMs: PING_DELAY_MS, medianMs: slow.medianMs, requests: slow.requests },
        },
        steps,
    };
    return { text: lines.join("\n"), json };
}

main().catch((e: unknown) => {
    process.stderr.write(`measure failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});

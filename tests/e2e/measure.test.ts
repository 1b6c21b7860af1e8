// Size guarantees in the exported state under the real CLI: a small __provider and accessSecret as ciphertext.
// The figures themselves (sizes, times, requests per operation) come from scripts/measure.sh, not from this test.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { createProject, E2eProject, requireEngine } from "../support/engine";
import { startHarborTarget, type HarborTarget } from "../support/harbor-target";
import type { EndpointSpec } from "./programs/endpoints";

const COUNT = 3;
const SECRET_PREFIX = "measure-canary-secret";

interface ExportedResource {
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

describe("e2e: exported state of RegistryEndpoints", function () {
    this.timeout(120_000);
    let project: E2eProject;
    let target: HarborTarget;
    let endpoints: ExportedResource[];
    let exportedText: string;

    before(async function () {
        const engine = requireEngine(this);
        target = await startHarborTarget();
        project = await createProject(engine, { name: "harbor-measure", program: path.join(__dirname, "programs", "endpoints.js") });
        const stack = await project.stack("measure");
        // huawei-SWR is healthy in Harbor without network traffic.
        const specs: EndpointSpec[] = Array.from({ length: COUNT }, (_, i) => ({
            logical: target.name(`m-${i}`),
            args: { providerName: "huawei-SWR", endpointUrl: `https://swr-${i}.example.com`, accessId: "cn-north-4@AK", description: `endpoint ${i}` },
        }));
        await stack.setAllConfig({
            "harbor:url": { value: target.url },
            "harbor:username": { value: target.username },
            "harbor:password": { value: target.password, secret: true },
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(Object.fromEntries(specs.map((s) => [s.logical, `${SECRET_PREFIX}-${s.logical}`]))), secret: true },
        });
        const up = await stack.up();
        assert.equal(up.summary.resourceChanges?.create, COUNT + 1);
        const exported = project.exportStack("measure");
        exportedText = exported.text;
        endpoints = (exported.deployment as { deployment: { resources: ExportedResource[] } }).deployment.resources.filter(
            (r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint",
        );
        await stack.destroy();
    });
    after(async () => {
        project?.dispose();
        await target?.close();
    });

    it("keeps the serialized __provider of every endpoint under 16 KB", () => {
        assert.equal(endpoints.length, COUNT);
        for (const r of endpoints) {
            const size = String(r.inputs?.__provider ?? "").length;
            assert.ok(size > 0, "no __provider in the resource's inputs");
            assert.ok(size < 16 * 1024, `__provider is ${size} bytes, over 16 KB`);
        }
    });

    it("stores accessSecret as ciphertext in inputs and outputs, never in plain text", () => {
        for (const r of endpoints) {
            for (const where of [r.inputs, r.outputs]) {
                const secret = where?.accessSecret as Record<string, unknown> | undefined;
                assert.equal(secret?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
                assert.equal(typeof secret?.ciphertext, "string");
            }
        }
        assert.ok(!exportedText.includes(SECRET_PREFIX), "a plain-text accessSecret is in the exported state");
    });

    it("destroy leaves no endpoint in Harbor", async () => {
        assert.deepEqual(await target.rest.list(), []);
    });
});

// The benchmark itself, at a small N so it cannot rot: scripts/measure.ts end to end (packed package installed with
// npm, the real CLI, Harbor latency injected), asserting the report's shape and the counts, never the timings.
describe("e2e: the benchmark (scripts/measure.ts) at N = 2", function () {
    this.timeout(1_200_000);
    const fs = require("node:fs") as typeof import("node:fs");
    const os = require("node:os") as typeof import("node:os");
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const repo = path.resolve(__dirname, "..", "..", "..");
    const N = 2;
    const LATENCY = 20;
    let report: {
        install: string;
        counts: number[];
        latencies: number[];
        state: Record<"ours" | "floor", { resources: number; providerBytes: { max: number }; resourceEntryBytes: number; accessSecretIsCiphertext: boolean; deploymentBytesPerResource: number; properties: { inputs: number; outputs: number } }>;
        summaries: { subject: string; step: string; n: number; latencyMs: number; medianMs: number; providerPeakRssKiB?: number; childCpuMs?: number; requests?: { ping: number; api: number; total: number; byRoute: Record<string, number> } }[];
        perOperation: Record<string, { api: number; ping: number; byRoute: Record<string, number> }>;
        targets: Record<string, unknown>;
    };
    let markdown: string;

    before(async function () {
        requireEngine(this);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "measure-ci-"));
        const args = [path.join(repo, "dist", "scripts", "measure.js"), "--counts", String(N), "--latencies", String(LATENCY), "--rounds", "1", "--install", "packed", "--scenario", "none", "--out", path.join(dir, "m.json"), "--markdown", path.join(dir, "m.md")];
        const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, args, { cwd: repo, stdio: ["ignore", "ignore", "pipe"] });
            let stderr = "";
            child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
            child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
        });
        assert.equal(result.code, 0, result.stderr);
        report = JSON.parse(fs.readFileSync(path.join(dir, "m.json"), "utf8")) as typeof report;
        markdown = fs.readFileSync(path.join(dir, "m.md"), "utf8");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("measures every step for both subjects, with the floor once per N, and reports provider RSS", () => {
        assert.equal(report.install, "packed");
        const steps = ["preview (new)", "up (create)", "preview (unchanged)", "refresh (read)", "preview (changed)", "up (update)", "up with preview (update)", "destroy (delete)", "up with preview (create)"];
        for (const step of steps) {
            const ours = report.summaries.find((s) => s.subject === "ours" && s.step === step && s.n === N && s.latencyMs === LATENCY);
            const floor = report.summaries.find((s) => s.subject === "floor" && s.step === step && s.n === N);
            assert.ok(ours && floor, `${step}: ours ${ours ? "measured" : "missing"}, floor ${floor ? "measured" : "missing"}`);
            assert.ok(ours.medianMs > 0 && floor.medianMs > 0);
            // The engine's process tree, reaped by the benchmark, always uses some CPU (Linux /proc is there in CI).
            assert.ok((ours.childCpuMs ?? 0) > 0 && (floor.childCpuMs ?? 0) > 0, `${step}: engine tree CPU ${ours.childCpuMs} / ${floor.childCpuMs} ms`);
        }
        const withProvider = report.summaries.filter((s) => s.subject === "ours" && (s.providerPeakRssKiB ?? 0) > 0);
        assert.ok(withProvider.length >= steps.length, `provider RSS seen in ${withProvider.length} steps`);
        for (const heading of ["### State", "### Engine operations", "### Harbor API requests per provider operation", "### Targets"]) assert.ok(markdown.includes(heading), `no "${heading}" in the report`);
    });

    it("stores a __provider of at most 512 bytes (a require() of the installed module) and accessSecret only as ciphertext", () => {
        assert.equal(report.state.ours.resources, N);
        assert.ok(report.state.ours.providerBytes.max <= 512, `__provider is ${report.state.ours.providerBytes.max} bytes`);
        assert.ok(report.state.ours.deploymentBytesPerResource < report.state.floor.deploymentBytesPerResource, "exported bytes per resource not below the floor's");
        assert.equal(report.state.ours.accessSecretIsCiphertext, true);
        // Every resource has at least its name, its endpoint URL and the serialized provider, in and out.
        for (const subject of ["ours", "floor"] as const) assert.ok(report.state[subject].properties.inputs >= 3 && report.state[subject].properties.outputs >= 3, JSON.stringify(report.state[subject].properties));
        assert.equal(report.state.floor.accessSecretIsCiphertext, true);
    });

    it("counts Harbor requests per operation from the simulator's log", () => {
        const op = (name: string) => {
            const o = report.perOperation[name];
            assert.ok(o, `no ${name} in perOperation`);
            return o;
        };
        const create = op("create (up --skip-preview)");
        // The update phase sends no ping: Harbor health-checks the remote on the POST itself (issue 12 target 1).
        assert.equal(create.ping, 0, JSON.stringify(create.byRoute));
        assert.equal(create.byRoute["POST /registries"], N);
        assert.equal(create.byRoute["GET /registries/{id}"], N);
        // Anything else is the Harbor-connection verification: at most 2 requests per provider process, not per endpoint.
        const verification = Math.round(create.api * N) - 2 * N;
        assert.ok(verification >= 0 && verification <= 2, JSON.stringify(create.byRoute));
        // A refresh reads each endpoint with one GET, or reads that overlap share one listing: never more than 1 each.
        const read = op("read (refresh)");
        assert.equal(read.ping, 0);
        assert.ok(read.api > 0 && read.api <= 1, JSON.stringify(read.byRoute));
        assert.deepEqual(Object.keys(read.byRoute).filter((r) => r !== "GET /registries/{id}" && r !== "GET /registries"), [], JSON.stringify(read.byRoute));
        assert.deepEqual([op("delete").api, op("delete").ping], [1, 0]);
        assert.equal(op("update (up --skip-preview)").byRoute["PUT /registries/{id}"], N);
        assert.equal(op("preview, unchanged endpoints").ping, 0);
        assert.equal(op("preview, changed connection fields").ping, 1);
        // With its preview, an up pings each new endpoint exactly once: in the preview's check (issue 12 target 1).
        assert.equal(op("create (up with its preview)").ping, 1);
        assert.equal(op("create (up with its preview)").byRoute["POST /registries"], N);
    });
});

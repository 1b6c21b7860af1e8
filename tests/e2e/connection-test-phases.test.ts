// One ping per change per `pulumi up` (issue 12 target 1) and connection tests of existing endpoints from diff, in
// parallel under PULUMI_PARALLEL_DIFF=true (issue 15), under the real Pulumi CLI as users run it (`pulumi up --yes`,
// whose preview and update run in separate provider processes).
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type HarborSimulator, startHarborSimulator } from "../../simulator";
import type { SimulatorRequest } from "../../simulator";
import { createProject, type E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import type { EndpointSpec } from "./programs/endpoints";

const run = Date.now().toString(36);
// Canary secrets: none may appear in any output.
const HARBOR_PASSWORD = `PhaseCanary-${run}-pw`;
const WRONG_PASSWORD = `WrongPhaseCanary-${run}-pw`;

/** Harbor requests of one CLI run, by kind. */
function tally(requests: readonly SimulatorRequest[]): { ping: number; post: number; put: number; get: number; del: number; healthCheck: number } {
    const api = (method: string, re: RegExp) => requests.filter((r) => r.method === method && re.test(r.path)).length;
    return {
        ping: api("POST", /^\/api\/v2\.0\/registries\/ping$/),
        post: api("POST", /^\/api\/v2\.0\/registries$/),
        put: api("PUT", /^\/api\/v2\.0\/registries\/\d+$/),
        get: api("GET", /^\/api\/v2\.0\/registries\/\d+$/),
        del: api("DELETE", /^\/api\/v2\.0\/registries\/\d+$/),
        // Harbor's own health check of these docker-registry endpoints, which point back at the simulator.
        healthCheck: requests.filter((r) => r.method === "GET" && r.path === "/v2/").length,
    };
}

describe("e2e: connection tests once per change per `pulumi up`, from diff for existing endpoints", function () {
    this.timeout(300_000);
    let sim: HarborSimulator;
    let project: E2eProject;
    let stack: Stack;
    let specs: EndpointSpec[];
    let secrets: Record<string, string>;
    const names = ["alpha", "bravo", "charlie"];

    let pulumiBin: string;
    /**
     * The plain CLI in the project, as users run it; `parallelDiff` sets PULUMI_PARALLEL_DIFF=true for this run only.
     * Asynchronous: the simulator runs in this process and must keep answering while the CLI runs.
     */
    async function cli(args: string[], parallelDiff = false): Promise<{ code: number; out: string }> {
        const env: Record<string, string | undefined> = { ...process.env, ...project.env };
        if (parallelDiff) env.PULUMI_PARALLEL_DIFF = "true";
        else delete env.PULUMI_PARALLEL_DIFF;
        const child = spawn(pulumiBin, [...args, "--stack", "phases", "--non-interactive"], { cwd: project.workDir, env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
        project.onOutput(out);
        for (const c of [HARBOR_PASSWORD, WRONG_PASSWORD]) assert.ok(!out.includes(c), "a secret appeared in the CLI output");
        return { code, out };
    }
    function configure(): void {
        const c = (args: string[]) => assert.equal(project.cli(["config", "set", "--stack", "phases", ...args]).code, 0);
        c(["e2e:endpoints", JSON.stringify(specs)]);
        c(["--secret", "e2e:secrets", JSON.stringify(secrets)]);
    }
    const setArgs = (pick: (name: string) => boolean, args: Partial<EndpointSpec["args"]>) => {
        specs = specs.map((s) => (pick(s.logical) ? { ...s, args: { ...s.args, ...args } } : s));
    };
    /** The lines of the CLI's output that report an error. */
    const errorLines = (out: string) => out.split("\n").filter((l) => /error|failed/i.test(l));

    before(async function () {
        skipAgainstExternalHarbor(this, "a Harbor simulator whose requests are counted");
        const engine = requireEngine(this);
        pulumiBin = engine.pulumi;
        sim = await startHarborSimulator({ adminPassword: HARBOR_PASSWORD });
        project = await createProject(engine, {
            name: "harbor-phases",
            program: path.join(__dirname, "programs", "endpoints.js"),
            env: { HARBOR_URL: sim.url, HARBOR_USERNAME: sim.username, HARBOR_PASSWORD, HARBOR_ALLOW_HTTP: "true", HARBOR_CONNECTION_DIAGNOSIS: "local" },
        });
        stack = await project.stack("phases");
        // docker-registry endpoints pointing at the simulator's own /v2/, logging in as its admin: healthy.
        specs = names.map((n) => ({ logical: n, args: { providerName: "docker-registry", endpointUrl: sim.url, accessId: sim.username, description: "v1" } }));
        secrets = Object.fromEntries(names.map((n) => [n, HARBOR_PASSWORD]));
        configure();
    });

    after(() => tearDownSuite(stack, project, [sim]));

    it("1. `pulumi up --yes` (with its preview) of 3 new endpoints: 1 ping, 1 POST, 1 GET each", async () => {
        sim.resetRequests();
        const r = await cli(["up", "--yes"]);
        assert.equal(r.code, 0, r.out);
        const t = tally(sim.requests);
        assert.deepEqual({ ping: t.ping, post: t.post, get: t.get, put: t.put }, { ping: 3, post: 3, get: 3, put: 0 });
        assert.deepEqual(sim.storedRegistries().map((x) => x.name).sort(), names);
    });

    it("2. `pulumi up --yes` of 3 changed connection fields: 1 ping, 1 PUT, 1 GET each", async () => {
        setArgs(() => true, { insecure: true });
        configure();
        sim.resetRequests();
        const r = await cli(["up", "--yes"]);
        assert.equal(r.code, 0, r.out);
        const t = tally(sim.requests);
        assert.deepEqual({ ping: t.ping, post: t.post, get: t.get, put: t.put }, { ping: 3, post: 0, get: 3, put: 3 });
        assert.ok(sim.storedRegistries().every((x) => x.insecure), "every endpoint was updated");
    });

    it("3. a description-only change and an unchanged endpoint: no ping (Harbor still health-checks on the PUT)", async () => {
        setArgs((n) => n === "alpha", { description: "v2" });
        configure();
        sim.resetRequests();
        const r = await cli(["up", "--yes"]);
        assert.equal(r.code, 0, r.out);
        const t = tally(sim.requests);
        assert.deepEqual({ ping: t.ping, post: t.post, put: t.put }, { ping: 0, post: 0, put: 1 });
    });

    it("4. PULUMI_PARALLEL_DIFF=true: a preview of 3 changed endpoints, one with a wrong password, fails naming exactly that one", async () => {
        setArgs(() => true, { insecure: false });
        secrets = { ...secrets, bravo: WRONG_PASSWORD };
        configure();
        sim.resetRequests();
        const r = await cli(["preview"], true);
        assert.notEqual(r.code, 0, `the preview passed:\n${r.out}`);
        const errors = errorLines(r.out).join("\n");
        assert.match(errors, /endpoint "bravo"/);
        assert.match(errors, /accessSecret/);
        assert.doesNotMatch(errors, /endpoint "alpha"|endpoint "charlie"/, `an endpoint whose test passed is blamed:\n${errors}`);
        assert.match(errors, /Connection test failed at accessSecret: Harbor's connection test failed for endpoint "bravo"/);
        // One sentence: the dynamic-provider host prints a diff error's stack, which holds no frame of ours.
        assert.doesNotMatch(r.out, /^\s+at .*provider[\\/]provider\.[jt]s/m, "a stack trace of the provider reached the output");
        // Every changed endpoint was tested once, from diff (check no longer pings existing endpoints).
        assert.equal(tally(sim.requests).ping, 3);
        assert.equal(tally(sim.requests).put, 0, "a preview wrote to Harbor");
    });

    it("5. the remote breaks between preview and update: Harbor's health check on the PUT fails it, with our diagnosis", async () => {
        secrets = { ...secrets, bravo: HARBOR_PASSWORD };
        configure();
        const preview = await cli(["preview"], true);
        assert.equal(preview.code, 0, preview.out);
        // The remote (the simulator's /v2/ and its token service) now answers 503 to everyone.
        sim.inject({ method: "GET", path: "/v2/", status: 503, times: Infinity });
        sim.resetRequests();
        try {
            const r = await cli(["up", "--yes", "--skip-preview"]);
            assert.notEqual(r.code, 0, r.out);
            const t = tally(sim.requests);
            assert.equal(t.ping, 0, "the update phase pinged: Harbor's own health check on the PUT is the test");
            assert.ok(t.put >= 1, "no PUT was tried");
            const errors = errorLines(r.out).join("\n");
            assert.match(errors, /Connection test failed at endpointUrl/, errors);
            assert.match(errors, /endpoint "(alpha|bravo|charlie)"/);
        } finally {
            sim.clearFaults();
        }
    });

    it("6. `pulumi up --yes` after the remote recovered: the failed changes go through, 1 ping each", async () => {
        sim.resetRequests();
        const r = await cli(["up", "--yes"], true);
        assert.equal(r.code, 0, r.out);
        const t = tally(sim.requests);
        assert.equal(t.ping, t.put, `pings ${t.ping} != PUTs ${t.put}`);
        assert.ok(sim.storedRegistries().every((x) => !x.insecure));
    });
});

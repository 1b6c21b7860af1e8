// Issue 8 items 5, 6 and 7 under the real Pulumi CLI: preview verifies the Harbor connection for unchanged endpoints,
// each failure is printed once without a stack trace, and --diff/--json/refresh name exactly the changed fields.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, type HarborSimulator } from "../../simulator";
import { assertNoCanary, canary } from "../support/canary";
import { createProject, E2eProject, type EngineLocation, requireEngine, tearDownSuite } from "../support/engine";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import { HarborRest } from "../support/harbor-rest";
import type { EndpointSpec } from "./programs/endpoints";

const HARBOR_PASSWORD = canary("messages-harbor-password");
const WRONG_PASSWORD = canary("messages-wrong-password");
const ROBOT_SECRET = canary("messages-robot-secret");
const SECRET_1 = canary("messages-secret-1");
const SECRET_2 = canary("messages-secret-2");
const CANARIES = [HARBOR_PASSWORD, WRONG_PASSWORD, ROBOT_SECRET, SECRET_1, SECRET_2];
const NO_RIGHTS_ROBOT = "robot$no-registries";

/** Lines that are frames of a JavaScript stack trace. */
const STACK_FRAME = /^\s+at (?:\S+ \()?(?:\/|node:|file:)/m;

/** How often `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number {
    let n = 0;
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
    return n;
}

describe("e2e: what preview, --diff, refresh and a failing create print (issue 8 items 5, 6, 7)", function () {
    this.timeout(300_000);
    let sim: HarborSimulator;
    let rest: HarborRest;
    let project: E2eProject;
    let stack: Stack;
    let specs: EndpointSpec[];
    let secrets: Record<string, string>;
    let engine: EngineLocation;

    async function configure(): Promise<void> {
        await stack.setAllConfig({
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(secrets), secret: true },
        });
    }
    /**
     * `pulumi <args> --stack msg` through the CLI, as a user types it, without blocking this process (the simulator
     * answers from it). stdout and stderr are recorded for the canary scan like every other CLI call.
     */
    async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
        const child = spawn(engine.pulumi, [...args, "--stack", "msg", "--non-interactive"], {
            cwd: project.workDir,
            env: { ...process.env, ...project.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
        project.onOutput(stdout);
        project.onError(stderr);
        return { code, stdout, stderr, out: `${stdout}\n${stderr}` };
    }
    const harborLogin = (username: string, password: string) =>
        stack.setAllConfig({ "harbor:username": { value: username }, "harbor:password": { value: password, secret: true } });

    before(async function () {
        skipAgainstExternalHarbor(this, "simulator accounts without registry permissions");
        engine = requireEngine(this);
        sim = await startHarborSimulator({ adminPassword: HARBOR_PASSWORD, users: [{ username: NO_RIGHTS_ROBOT, password: ROBOT_SECRET, permissions: [] }] });
        rest = new HarborRest(sim);
        project = await createProject(engine, { name: "harbor-messages", program: path.join(__dirname, "programs", "endpoints.js") });
        stack = await project.stack("msg");
        await stack.setAllConfig({ "harbor:url": { value: sim.url } });
        await harborLogin("admin", HARBOR_PASSWORD);
        specs = [
            { logical: "mirror", args: { providerName: "docker-registry", endpointUrl: sim.url, accessId: "admin", description: "one", connectionTest: "never" } },
            { logical: "upstream", args: { providerName: "harbor", endpointUrl: sim.url, description: "the Harbor itself", connectionTest: "never" } },
        ];
        secrets = { mirror: HARBOR_PASSWORD };
        await configure();
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
    });

    after(() => tearDownSuite(stack, project, [sim]));

    describe("item 5: a preview of unchanged endpoints verifies the Harbor connection", () => {
        afterEach(() => harborLogin("admin", HARBOR_PASSWORD));

        it("passes with the right login, and costs one request per provider process", async () => {
            sim.resetRequests();
            const r = await cli(["preview"]);
            assert.equal(r.code, 0, r.out);
            const api = sim.requests.filter((q) => q.path.startsWith("/api/v2.0/"));
            assert.deepEqual(api.map((q) => `${q.method} ${q.path}`), ["GET /api/v2.0/users/current/permissions"]);
        });

        it("a wrong harbor:password fails it, naming harbor:password", async () => {
            await harborLogin("admin", WRONG_PASSWORD);
            const r = await cli(["preview"]);
            assert.notEqual(r.code, 0);
            assert.match(r.out, /rejected the login of "admin" \(401 UNAUTHORIZED\); check harbor:username and harbor:password/);
        });

        it("an account without registry permissions fails it, naming harbor:username", async () => {
            await harborLogin(NO_RIGHTS_ROBOT, ROBOT_SECRET);
            const r = await cli(["preview"]);
            assert.notEqual(r.code, 0);
            assert.match(r.out, /the Harbor account "robot\$no-registries" set in harbor:username may not change registry endpoints/);
        });

        it("a missing harbor:url fails it, naming harbor:url", async () => {
            assert.equal((await cli(["config", "rm", "harbor:url"])).code, 0);
            try {
                const r = await cli(["preview"]);
                assert.notEqual(r.code, 0);
                assert.match(r.out, /the Harbor connection is not configured: set harbor:url \(or HARBOR_URL\)/);
            } finally {
                await stack.setConfig("harbor:url", { value: sim.url });
            }
        });
    });

    describe("item 7: --diff and --json name exactly the changed fields", () => {
        it("a rotated secret shows accessSecret: [secret] => [secret], and only it", async () => {
            secrets = { mirror: SECRET_2 };
            await configure();
            try {
                const r = await cli(["preview", "--diff"]);
                assert.equal(r.code, 0, r.out);
                const block = r.stdout.slice(r.stdout.indexOf("RegistryEndpoint::mirror]"));
                assert.match(block, /~ accessSecret\s*: \[secret\] => \[secret\]/, r.stdout);
                // Only the changed field is marked; the others are printed unmarked.
                assert.deepEqual([...block.matchAll(/^\s+[~+-] (\w+)\s*:/gm)].map((m) => m[1]), ["accessSecret"], r.stdout);
                const json = await cli(["preview", "--json"]);
                assert.equal(json.code, 0, json.out);
                const steps = (JSON.parse(json.stdout) as { steps: { urn: string; op: string; detailedDiff: Record<string, unknown> | null; diffReasons?: string[] }[] }).steps;
                const mirror = steps.find((st) => st.urn.endsWith("::mirror"))!;
                assert.equal(mirror.op, "update");
                assert.deepEqual(Object.keys(mirror.detailedDiff ?? {}), ["accessSecret"]);
                assertNoCanary("preview --diff/--json", [r.out, json.out]);
            } finally {
                secrets = { mirror: HARBOR_PASSWORD };
                await configure();
            }
        });

        it("a description change shows description only", async () => {
            specs[0]!.args.description = "two";
            await configure();
            try {
                const r = await cli(["preview", "--diff"]);
                assert.equal(r.code, 0, r.out);
                const block = r.stdout.slice(r.stdout.indexOf("RegistryEndpoint::mirror]"));
                assert.deepEqual([...block.matchAll(/^\s+[~+-] (\w+)\s*:/gm)].map((m) => m[1]), ["description"], r.stdout);
                assert.match(block, /~ description\s*: "one" => "two"/);
            } finally {
                specs[0]!.args.description = "one";
                await configure();
            }
        });
    });

    describe("item 7: a refresh names the fields edited outside Pulumi", () => {
        it("an out-of-band description edit is named as description, not as credentials", async () => {
            const mirror = await rest.byName("mirror");
            assert.ok(mirror);
            await rest.update(mirror.id, { description: "edited in the UI" });
            const r = await cli(["refresh", "--yes", "--skip-preview"]);
            assert.equal(r.code, 0, r.out);
            assert.match(r.out, /RegistryEndpoint "mirror" \(Harbor id \d+\) was edited in Harbor outside Pulumi: description differs from what Pulumi last wrote/);
            assert.doesNotMatch(r.out, /credentials may have been changed/);
            const up = await cli(["up", "--yes", "--skip-preview"]);
            assert.equal(up.code, 0, up.out);
            assert.equal((await rest.byName("mirror"))?.description, "one");
        });
    });

    describe("item 6: a failing create prints its message once, without a stack trace", () => {
        it("an endpoint Harbor refuses (unhealthy remote) fails up with one sentence in the diagnostics", async () => {
            specs.push({ logical: "broken", args: { providerName: "docker-registry", endpointUrl: sim.url, accessId: "admin", connectionTest: "never" } });
            secrets = { mirror: HARBOR_PASSWORD, broken: WRONG_PASSWORD };
            await configure();
            try {
                const r = await cli(["up", "--yes", "--skip-preview"]);
                assert.notEqual(r.code, 0);
                const diagnostics = r.out.slice(r.out.indexOf("Diagnostics:"));
                assert.equal(occurrences(diagnostics, "the registry is unhealthy"), 1, diagnostics);
                assert.doesNotMatch(r.out, STACK_FRAME);
                assert.doesNotMatch(r.out, /failed to deliver log message/);
                assertNoCanary("up output", [r.out]);
            } finally {
                specs.pop();
                secrets = { mirror: HARBOR_PASSWORD };
                await configure();
            }
        });
    });
});

// Interrupted runs: `kill -9` of the Pulumi CLI in the middle of an `up` that creates 20 endpoints, then the
// documented recovery (README, "Recovering from an interrupted up"), which must converge with no duplicate and no
// orphan in Harbor.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startHarborSimulator, type HarborSimulator } from "../../simulator";
import { assertNoCanary, canary } from "../support/canary";
import { createProject, type E2eProject, type EngineLocation, requireEngine } from "../support/engine";
import type { EndpointSpec } from "./programs/endpoints";
import { skipAgainstExternalHarbor } from "../support/harbor-target";

const ENDPOINTS = 20;
const STACK = "interrupted";

/** Every process below `pid` (Linux /proc), so the plugins a killed CLI leaves behind can be ended by their ids. */
function descendants(pid: number): number[] {
    const out: number[] = [];
    let tasks: string[] = [];
    try {
        tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
        return out;
    }
    for (const task of tasks) {
        let children = "";
        try {
            children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8");
        } catch {
            continue;
        }
        for (const child of children.split(/\s+/).filter((c) => c !== "").map(Number)) out.push(child, ...descendants(child));
    }
    return out;
}

interface Run {
    code: number | null;
    output: string;
}

describe("e2e: recovery after kill -9 of the CLI during an up", function () {
    this.timeout(600_000);
    let engine: EngineLocation;
    let sim: HarborSimulator;
    let project: E2eProject;
    const password = canary("interrupted-password");
    const secret = canary("interrupted-secret");
    const groups: number[] = [];
    const orphans: number[] = [];

    // The CLI runs asynchronously: the simulator lives in this process and must keep answering while it runs.
    function pulumi(args: string[], env: Record<string, string> = {}): { pid: number; done: Promise<Run> } {
        const child = spawn(engine.pulumi, [...args, "--stack", STACK, "--non-interactive"], {
            cwd: project.workDir,
            env: { ...process.env, ...project.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
            // Its own process group, so the plugins it leaves behind when killed can be ended after the test.
            detached: true,
        });
        groups.push(child.pid!);
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        const done = new Promise<Run>((resolve) =>
            child.on("exit", (code) => {
                project.output.push(...output.split("\n"));
                resolve({ code, output });
            }),
        );
        return { pid: child.pid!, done };
    }
    const run = async (args: string[], env?: Record<string, string>) => pulumi(args, env).done;

    async function checkpoint(): Promise<{ resources: { type: string; id?: string }[]; pending: { type: string }[]; text: string }> {
        const r = await run(["stack", "export"]);
        if (r.code !== 0 && process.env.DEBUG_INTERRUPTED) {
            for (const f of project.backendFiles()) console.log("      ", f.file.replace(/.*\/state\//, ""), f.text.length, f.text.length < 300 ? JSON.stringify(f.text) : "");
        }
        assert.equal(r.code, 0, r.output);
        const d = (JSON.parse(r.output) as { deployment: { resources?: { type: string; id?: string }[]; pending_operations?: { type: string }[] } }).deployment;
        return { resources: (d.resources ?? []).filter((x) => x.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint"), pending: d.pending_operations ?? [], text: r.output };
    }

    before(async function () {
        skipAgainstExternalHarbor(this, "the simulator's request delays and its store");
        engine = requireEngine(this);
        sim = await startHarborSimulator({ adminPassword: password });
        project = await createProject(engine, { name: "harbor-interrupted", program: path.join(__dirname, "programs", "endpoints.js") });
        const specs: EndpointSpec[] = Array.from({ length: ENDPOINTS }, (_, i) => ({
            logical: `int-${String(i).padStart(2, "0")}`,
            args: { providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", accessId: `cn-north-4@AK${i}` },
        }));
        const init = await run(["stack", "init"]);
        assert.equal(init.code, 0, init.output);
        const config: [string, string, boolean][] = [
            ["harbor:url", sim.url, false],
            ["harbor:username", "admin", false],
            ["harbor:password", password, true],
            ["e2e:endpoints", JSON.stringify(specs), false],
            ["e2e:secrets", JSON.stringify(Object.fromEntries(specs.map((s) => [s.logical, secret]))), true],
        ];
        for (const [key, value, isSecret] of config) {
            const r = await run(["config", "set", key, value, ...(isSecret ? ["--secret"] : [])]);
            assert.equal(r.code, 0, r.output);
        }
    });

    after(async () => {
        for (const pid of orphans) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // it ended by itself
            }
        }
        for (const pgid of groups) {
            try {
                process.kill(-pgid, "SIGKILL");
            } catch {
                // the group is gone already
            }
        }
        if (project) await run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
        project?.dispose();
        await sim?.close();
    });

    it("kill -9 mid-up leaves pending creates and a lock; cancel, refresh --clear-pending-creates and an adopting up converge", async () => {
        // Slow creates, so several are in flight when the CLI dies.
        sim.inject({ method: "POST", path: "/api/v2.0/registries", delayMs: 400, times: Infinity });
        const up = pulumi(["up", "--yes", "--skip-preview"]);
        while (sim.storedRegistries().length < ENDPOINTS / 3) await new Promise((r) => setTimeout(r, 25));
        // The language host and the provider outlive the CLI (the engine starts them in their own process groups).
        orphans.push(...descendants(up.pid));
        process.kill(up.pid, "SIGKILL");
        await up.done;
        sim.clearFaults();
        // The plugins the CLI left behind may still finish a create or two.
        await new Promise((r) => setTimeout(r, 2000));
        // A kill while the file backend writes can leave the checkpoint's metadata file (<stack>.json.attrs, written
        // in place, unlike the checkpoint itself) empty; every command then fails "failed to load checkpoint: EOF".
        // The README's recovery step 0: delete that empty file; the checkpoint beside it is whole.
        const probe = await run(["stack", "export"]);
        if (probe.code !== 0) {
            assert.match(probe.output, /failed to load checkpoint: EOF/);
            const emptied = project.backendFiles().filter((f) => /\/stacks\/.*\.json\.attrs$/.test(f.file) && f.text.length === 0);
            assert.ok(emptied.length > 0, `the checkpoint cannot be loaded and no empty .attrs file explains it: ${probe.output}`);
            for (const f of emptied) fs.rmSync(f.file);
        }
        const killed = await checkpoint();
        const inHarbor = sim.storedRegistries().length;
        assert.ok(inHarbor > killed.resources.length, `Harbor holds ${inHarbor} endpoints, the state ${killed.resources.length}: the kill left none unrecorded`);
        assert.ok(killed.pending.some((p) => p.type === "creating"), "the checkpoint records the interrupted creates as pending");

        // Without the recovery the stack is locked (file backend): that is what `pulumi cancel` is for.
        const locked = await run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(locked.code, 0);
        assert.match(locked.output, /locked/);

        // 1. Remove the killed run's lock.
        assert.equal((await run(["cancel", "--yes"])).code, 0);
        // 2. Drop the pending creates (non-interactively; an interactive refresh would ask about each).
        const refresh = await run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
        assert.equal(refresh.code, 0, refresh.output);
        assert.deepEqual((await checkpoint()).pending, []);
        // 3. Without adoption, the endpoints Harbor created but the state lost collide with their own names.
        const plain = await run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(plain.code, 0);
        assert.match(plain.output, /already exists in Harbor; set `adopt: true`.*HARBOR_ADOPT_EXISTING=true/);
        // 4. One up that adopts them converges.
        const recovered = await run(["up", "--yes", "--skip-preview"], { HARBOR_ADOPT_EXISTING: "true" });
        assert.equal(recovered.code, 0, recovered.output);

        const stored = sim.storedRegistries();
        assert.equal(stored.length, ENDPOINTS);
        assert.equal(new Set(stored.map((r) => r.name)).size, ENDPOINTS, "no duplicate");
        const after = await checkpoint();
        assert.deepEqual(after.resources.map((r) => Number(r.id)).sort((a, b) => a - b), stored.map((r) => r.id).sort((a, b) => a - b), "no orphan: Harbor holds exactly what the state records");
        assert.deepEqual(after.pending, []);
        for (const r of stored) assert.equal(r.accessSecret, secret);
        // Adoption is not recorded as an input: the next preview, without the switch, changes nothing.
        const preview = await run(["preview", "--expect-no-changes"]);
        assert.equal(preview.code, 0, preview.output);
        assertNoCanary("engine output", project.output);
        assertNoCanary("the checkpoint", after.text);
    });
});

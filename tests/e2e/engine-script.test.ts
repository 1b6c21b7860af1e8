// scripts/engine.sh and the provider-host wrapper: per-checkout engine bin dirs, and the provider stderr capture.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROVIDER_STDERR_MARKER, repoRoot, requireEngine } from "../support/engine";

const HOSTS = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

/** The files of a checkout that scripts/engine.sh reads or links. */
function makeCheckout(dir: string): void {
    for (const rel of ["scripts/engine.sh", "engine/go.mod", "scripts/language-host/host.js", ...HOSTS.map((h) => `scripts/language-host/bin/${h}`)]) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, rel), path.join(dir, rel));
        fs.chmodSync(path.join(dir, rel), fs.statSync(path.join(repoRoot, rel)).mode);
    }
}

describe("e2e tooling: scripts/engine.sh gives every checkout its own engine bin dir", function () {
    this.timeout(60_000);
    let base: string;
    // No ambient pulumi: only node and the base system, so engine.sh answers with its cached CLI.
    const env = { ...process.env, PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter), PULUMI_HARBOR_ENGINE_NO_BUILD: "1" };
    const engineDir = (checkout: string): string =>
        execFileSync("bash", [path.join(checkout, "scripts", "engine.sh")], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

    before(function () {
        requireEngine(this);
        if (spawnSync("bash", ["-c", "command -v pulumi"], { env }).status === 0) {
            this.skip(); // a system-wide pulumi wins over the cached one; nothing here to test
        }
        base = fs.mkdtempSync(path.join(os.tmpdir(), "engine-sh-"));
    });
    after(() => {
        if (base) fs.rmSync(base, { recursive: true, force: true });
    });

    it("keeps each checkout's hosts linked to that checkout while another checkout runs, and prunes a deleted one", () => {
        const clone = path.join(base, "clone");
        makeCheckout(clone);
        const mine = engineDir(repoRoot);
        const theirs = engineDir(clone);
        assert.notEqual(theirs, mine, "two checkouts share one engine bin dir");
        assert.equal(mine.split(path.delimiter).length, 1, "the cached engine needs one PATH entry");
        // What the other checkout ran must not repoint this checkout's hosts (the shared-link defect).
        for (const [dir, checkout] of [[mine, repoRoot], [theirs, clone]]) {
            for (const host of HOSTS) {
                assert.equal(fs.realpathSync(path.join(dir, host)), fs.realpathSync(path.join(checkout, "scripts", "language-host", "bin", host)), `${dir}/${host}`);
            }
            // The CLI looks for bundled hosts next to its binary with symlinks resolved: `pulumi` must not lead elsewhere.
            assert.equal(path.dirname(fs.realpathSync(path.join(dir, "pulumi"))), fs.realpathSync(dir), `${dir}/pulumi resolves outside its bin dir`);
        }
        assert.match(execFileSync(path.join(theirs, "pulumi"), ["version"], { env, encoding: "utf8" }), /^v\d+\.\d+\.\d+/);

        fs.rmSync(clone, { recursive: true, force: true });
        assert.equal(engineDir(repoRoot), mine);
        assert.ok(!fs.existsSync(theirs), "the deleted checkout's engine bin dir was not pruned");
        for (const host of HOSTS) {
            assert.equal(fs.realpathSync(path.join(mine, host)), fs.realpathSync(path.join(repoRoot, "scripts", "language-host", "bin", host)));
        }
        assert.match(execFileSync(path.join(mine, "pulumi"), ["version"], { env, encoding: "utf8" }), /^v\d+\.\d+\.\d+/);
    });
});

describe("e2e tooling: the dynamic-provider host wrapper copies the provider's stderr", function () {
    this.timeout(30_000);
    let base: string;
    before(() => {
        base = fs.mkdtempSync(path.join(os.tmpdir(), "provider-host-"));
        // A program directory whose @pulumi/pulumi "dynamic provider" writes one line to each stream.
        const fake = path.join(base, "program", "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider");
        fs.mkdirSync(fake, { recursive: true });
        fs.writeFileSync(path.join(fake, "index.js"), 'process.stdout.write("12345\\n"); process.stderr.write("provider says hello on stderr\\n");\n');
    });
    after(() => fs.rmSync(base, { recursive: true, force: true }));

    const wrapper = path.join(repoRoot, "scripts", "language-host", "bin", "pulumi-resource-pulumi-nodejs");
    const run = (extraEnv: Record<string, string>) =>
        spawnSync(wrapper, [], {
            cwd: path.join(base, "program"),
            env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, ...extraEnv },
            encoding: "utf8",
        });

    it("with PULUMI_HARBOR_PROVIDER_STDERR: appends a marker line and the provider's stderr, which still reaches the engine", () => {
        const file = path.join(base, "captured.log");
        const r = run({ PULUMI_HARBOR_PROVIDER_STDERR: file });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "12345\n");
        assert.match(r.stderr, /provider says hello on stderr/);
        const captured = fs.readFileSync(file, "utf8").split("\n");
        assert.ok(captured[0]!.startsWith(PROVIDER_STDERR_MARKER), `no marker first: ${captured[0]}`);
        assert.ok(captured.includes("provider says hello on stderr"), "the provider's stderr was not copied");
    });

    it("without it: writes no file and passes stderr through", () => {
        const r = run({ PULUMI_HARBOR_PROVIDER_STDERR: "" });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, "provider says hello on stderr\n");
        assert.ok(!r.stderr.includes(PROVIDER_STDERR_MARKER));
    });
});

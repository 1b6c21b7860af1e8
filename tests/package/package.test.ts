// Acceptance tier: the package as a user gets it. Packs the tarball from a clean copy of the tree (the files git
// knows, no dist/, no node_modules), installs it into a fresh Pulumi TypeScript project outside the repository (Pulumi's
// template tsconfig, @pulumi/pulumi from npm), runs `tsc --noEmit`, then a real `pulumi preview`, `up` and `destroy` of
// docker-hub, harbor and docker-registry endpoints against `npx harbor-sim` started in that project as the README says.
import * as assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertNoCanary, canary } from "../support/canary";
import { type EngineLocation, isCi, repoRoot, requireEngine } from "../support/engine";
import { freePort } from "../support/free-port";
import { TEMPLATE_TSCONFIG } from "../support/template-tsconfig";
import { Agent, fetch } from "undici";

// The engine runs through spawnSync, which blocks this process's event loop for seconds: a keep-alive socket that
// harbor-sim closed meanwhile (Node's 5 s idle timeout) would be reused and fail with "other side closed". Asking
// Harbor's state over a fresh connection each time keeps that race out of the test.
const noKeepAlive = new Agent({ pipelining: 0 });

/**
 * The user's program: the README's three offline-creatable kinds, every public entry point type-checked. (It does not
 * import `@pulumi/policy` itself: that package's own index.d.ts fails under this tsconfig (TS2305, 1.21.0), which is
 * why the package's policy declarations import `@pulumi/policy/policy`.)
 */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { RegistryEndpoint, type RegistryEndpointArgs } from "pulumi-harbor-endpoints";
import type { RegistryEndpointLookup } from "pulumi-harbor-endpoints/provider";
import type { HarborSimulator } from "pulumi-harbor-endpoints/testing";
import type * as policy from "pulumi-harbor-endpoints/policy";

const cfg = new pulumi.Config();
const harbor = new pulumi.Config("harbor");
const hub = new RegistryEndpoint("docker-hub-mirror", {
  providerName: "docker-hub",
  accessId: "my-user",
  accessSecret: cfg.requireSecret("dockerHubToken"),
});
const upstreamArgs: RegistryEndpointArgs = {
  providerName: "harbor",
  endpointUrl: harbor.require("url"),
  accessId: harbor.require("username"),
  accessSecret: harbor.requireSecret("password"),
  description: "replication source",
};
const upstream = new RegistryEndpoint("upstream", upstreamArgs);
const mirror = new RegistryEndpoint("docker-mirror", { providerName: "docker-registry", endpointUrl: harbor.require("url") });

export const ids = { hub: hub.registryId, upstream: upstream.registryId, mirror: mirror.registryId };
export const hubUrl = hub.endpointUrl;
// Type-only uses of the other entry points: their declarations must compile under the template tsconfig too.
export type Checked = [RegistryEndpointLookup, HarborSimulator, keyof typeof policy];
`;

interface Run {
  code: number;
  out: string;
}

/** Runs a command to completion; returns its exit code and combined output. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Run {
  const r = spawnSync(cmd, args, { cwd, env, input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
  return { code: r.status ?? 1, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}` };
}

/** The environment of a user's shell: no NODE_PATH into this checkout, no HARBOR_* or Pulumi settings of the test run. */
function userEnv(extraPath: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // npm test's npm_* variables (npm_config_local_prefix among them) would point a child npm at this checkout; the
    // npm cache stays the repository's.
    if (k === "NODE_PATH" || k.startsWith("HARBOR_") || k.startsWith("PULUMI_") || (k.startsWith("npm_") && k !== "npm_config_cache")) continue;
    env[k] = v;
  }
  env.PATH = [...extraPath, path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter);
  return env;
}

/** A timing line per step on stderr, so the tier's cost stays visible. */
function timed<T>(label: string, f: () => T): T {
  const started = Date.now();
  try {
    return f();
  } finally {
    process.stderr.write(`      [package] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

describe("package: tarball from a clean copy, installed into a fresh Pulumi TypeScript project", function () {
  this.timeout(15 * 60 * 1000);
  let engine: EngineLocation;
  let base: string;
  let tarball: string;
  let tarEntries: string[];
  let fixture: string;
  let sim: ChildProcess | undefined;
  let simUrl: string;
  let pulumiEnv: NodeJS.ProcessEnv;
  let stackCreated = false;
  let fixtureInstall: ChildProcess | undefined;
  let fixtureInstalled: Promise<Run> | undefined;
  let fixtureInstallStarted = 0;
  const harborPassword = canary("package-harbor-password");
  const hubToken = canary("package-hub-token");
  const shown: string[] = [];
  const devDeps = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
    .devDependencies;

  const npm = (args: string[], cwd: string): Run => run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], cwd, userEnv([]));
  const pulumi = (args: string[], input?: string): Run => {
    const r = run(engine.pulumi, [...args, "--non-interactive"], fixture, pulumiEnv, input);
    shown.push(r.out);
    return r;
  };
  const registries = async (): Promise<{ id: number; name: string; type: string; url: string }[]> => {
    const res = await fetch(`${simUrl}/api/v2.0/registries?page_size=100`, {
      dispatcher: noKeepAlive,
      headers: { authorization: `Basic ${Buffer.from(`admin:${harborPassword}`).toString("base64")}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { id: number; name: string; type: string; url: string }[];
  };

  before(function () {
    const inGit = run("git", ["rev-parse", "--is-inside-work-tree"], repoRoot, process.env);
    if (inGit.code !== 0) {
      if (isCi()) throw new Error(`the package tier needs the git checkout to copy the tree from (CI=true): ${inGit.out}`);
      this.skip();
    }
    base = fs.mkdtempSync(path.join(os.tmpdir(), "package-tier-"));
    // The user's project as `pulumi new typescript` leaves it; its registry dependencies install while step 1 packs.
    fixture = path.join(base, "user-project");
    fs.mkdirSync(fixture);
    fs.writeFileSync(
      path.join(fixture, "package.json"),
      `${JSON.stringify(
        {
          name: "harbor-endpoints-user",
          main: "index.ts",
          devDependencies: { "@types/node": devDeps["@types/node"], typescript: devDeps.typescript },
          dependencies: { "@pulumi/pulumi": devDeps["@pulumi/pulumi"], "@pulumi/policy": devDeps["@pulumi/policy"] },
        },
        null,
        2,
      )}\n`,
    );
    fs.writeFileSync(path.join(fixture, "tsconfig.json"), `${JSON.stringify(TEMPLATE_TSCONFIG, null, 4)}\n`);
    fs.writeFileSync(path.join(fixture, "Pulumi.yaml"), "name: harbor-endpoints-user\nruntime:\n  name: nodejs\ndescription: a user's program\n");
    fs.writeFileSync(path.join(fixture, "index.ts"), PROGRAM);
    const logFile = path.join(base, "fixture-npm-install.log");
    const log = fs.openSync(logFile, "w");
    fixtureInstallStarted = Date.now();
    // Output goes to a file, not a pipe: step 1 blocks this process, and a full pipe would stall npm.
    fixtureInstall = spawn("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: fixture, env: userEnv([]), stdio: ["ignore", log, log] });
    fs.closeSync(log);
    const child = fixtureInstall;
    fixtureInstalled = new Promise((resolve) => {
      child.once("error", (e) => resolve({ code: 1, out: e.message }));
      child.once("exit", (code) => resolve({ code: code ?? 1, out: fs.readFileSync(logFile, "utf8") }));
    });
  });

  after(async () => {
    if (fixtureInstall && fixtureInstall.exitCode === null && fixtureInstall.signalCode === null) {
      fixtureInstall.kill("SIGTERM");
      await fixtureInstalled;
    }
    if (stackCreated) {
      pulumi(["destroy", "--yes", "--skip-preview", "--stack", "dev"]);
      pulumi(["stack", "rm", "--yes", "--force", "--stack", "dev"]);
    }
    if (sim && sim.exitCode === null && sim.pid !== undefined) {
      // harbor-sim runs under npx in its own process group: stop the whole group, as Ctrl-C in a terminal does.
      const exited = new Promise((resolve) => sim!.once("exit", resolve));
      process.kill(-sim.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (sim.exitCode === null && sim.signalCode === null) process.kill(-sim.pid, "SIGKILL");
    }
    if (base) fs.rmSync(base, { recursive: true, force: true });
    await noKeepAlive.close();
  });

  it("1. npm pack of a clean copy (no dist/, no node_modules) builds and ships dist/ and LICENSE, and no compiled tests", () => {
    const src = path.join(base, "src");
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "" && fs.existsSync(path.join(repoRoot, f)) && fs.statSync(path.join(repoRoot, f)).isFile());
    assert.ok(listed.includes("package.json") && listed.includes("LICENSE"));
    assert.ok(!listed.some((f) => f.startsWith("dist/") || f.startsWith("node_modules/")), "git must not track dist/ or node_modules/");
    timed("copy of the tree", () => {
      for (const f of listed) {
        fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, f), path.join(src, f));
        fs.chmodSync(path.join(src, f), fs.statSync(path.join(repoRoot, f)).mode);
      }
    });
    // Dependencies only: the build must come from npm pack's own lifecycle (prepare), as on a fresh clone.
    const ci = timed("npm ci --ignore-scripts (clean copy)", () => npm(["ci", "--ignore-scripts"], src));
    assert.equal(ci.code, 0, ci.out);
    assert.ok(!fs.existsSync(path.join(src, "dist")), "nothing is built before npm pack");
    const pack = timed("npm pack (prepare builds)", () => npm(["pack", "--pack-destination", base], src));
    assert.equal(pack.code, 0, pack.out);
    tarball = path.join(base, fs.readdirSync(base).find((f) => f.endsWith(".tgz"))!);
    tarEntries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter((l) => l !== "");
    for (const expected of [
      "package/package.json",
      "package/README.md",
      "package/LICENSE",
      "package/dist/sdk/index.js",
      "package/dist/sdk/index.d.ts",
      "package/dist/provider/index.js",
      "package/dist/provider/dynamic.js",
      "package/dist/simulator/index.d.ts",
      "package/dist/simulator/bin.js",
      "package/dist/policy/index.d.ts",
      "package/dist/cli/bin.js",
    ]) {
      assert.ok(tarEntries.includes(expected), `the tarball lacks ${expected}`);
    }
    assert.deepEqual(tarEntries.filter((e) => e.startsWith("package/dist/tests/") || e.includes("/tests/")), [], "compiled tests must not ship");
    assert.deepEqual(tarEntries.filter((e) => /\.ts$/.test(e) && !e.endsWith(".d.ts")), [], "TypeScript sources must not ship");
    assert.deepEqual(tarEntries.filter((e) => e.endsWith(".tsbuildinfo")), []);
    const license = execFileSync("tar", ["-xzOf", tarball, "package/LICENSE"], { encoding: "utf8" });
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  });

  it("2. installs into a project outside the repository with the template tsconfig; tsc --noEmit reports nothing", async () => {
    assert.ok(path.relative(repoRoot, fixture).startsWith(`..${path.sep}`), "the fixture must live outside the repository");
    const deps = await fixtureInstalled!;
    process.stderr.write(`      [package] npm install (fixture's registry dependencies, alongside step 1): done ${((Date.now() - fixtureInstallStarted) / 1000).toFixed(1)} s after its start\n`);
    assert.equal(deps.code, 0, deps.out);
    // As the README says: npm install <tarball> in the project.
    const install = timed("npm install <tarball> (fixture)", () => npm(["install", tarball], fixture));
    assert.equal(install.code, 0, install.out);
    const manifest = JSON.parse(fs.readFileSync(path.join(fixture, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.ok((manifest.dependencies["pulumi-harbor-endpoints"] ?? "").endsWith(path.basename(tarball)), JSON.stringify(manifest.dependencies));
    const installed = path.join(fixture, "node_modules", "pulumi-harbor-endpoints");
    assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "the package is installed from the tarball, not linked");
    const tsc = timed("tsc --noEmit", () => run(process.execPath, [path.join(fixture, "node_modules", "typescript", "bin", "tsc"), "--noEmit"], fixture, userEnv([])));
    assert.equal(tsc.out, "");
    assert.equal(tsc.code, 0);
  });

  it("3. npx harbor-sim, started in the project as the README says, serves Harbor with the offline stand-ins", async () => {
    const port = await freePort();
    sim = spawn("npx", ["harbor-sim", "--port", String(port), "--admin-password", harborPassword], {
      cwd: fixture,
      env: userEnv([]),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let printed = "";
    sim.stdout!.on("data", (c: Buffer) => (printed += c.toString()));
    sim.stderr!.on("data", (c: Buffer) => (printed += c.toString()));
    const deadline = Date.now() + 60_000;
    while (!/listening on (http:\/\/\S+)/.test(printed)) {
      if (sim.exitCode !== null || Date.now() > deadline) assert.fail(`harbor-sim did not start: ${printed}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    simUrl = /listening on (http:\/\/\S+)/.exec(printed)![1]!;
    assert.equal(simUrl, `http://127.0.0.1:${port}`);
    assert.deepEqual(await registries(), []);
  });

  it("4. pulumi preview, then up, creates the docker-hub, harbor and docker-registry endpoints; destroy removes them", async function () {
    // Steps 1-3 need no engine; without one this step fails under CI and skips elsewhere.
    engine = requireEngine(this);
    const home = path.join(base, "pulumi-home");
    const state = path.join(base, "state");
    fs.mkdirSync(home);
    fs.mkdirSync(state);
    pulumiEnv = {
      ...userEnv(engine.pathEntries),
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: "package-tier",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const init = pulumi(["stack", "init", "dev"]);
    assert.equal(init.code, 0, init.out);
    stackCreated = true;
    for (const [key, value] of [["harbor:url", simUrl], ["harbor:username", "admin"]] as const) {
      const r = pulumi(["config", "set", key, value, "--stack", "dev"]);
      assert.equal(r.code, 0, r.out);
    }
    for (const [key, value] of [["harbor:password", harborPassword], ["dockerHubToken", hubToken]] as const) {
      const r = pulumi(["config", "set", "--secret", key, "--stack", "dev"], value);
      assert.equal(r.code, 0, r.out);
    }

    const preview = timed("pulumi preview", () => pulumi(["preview", "--stack", "dev"]));
    assert.equal(preview.code, 0, preview.out);
    assert.match(preview.out, /\+ 4 to create/);
    assert.deepEqual(await registries(), [], "a preview writes nothing to Harbor");

    const up = timed("pulumi up", () => pulumi(["up", "--yes", "--skip-preview", "--stack", "dev"]));
    assert.equal(up.code, 0, up.out);
    assert.match(up.out, /\+ 4 created/);
    const inHarbor = await registries();
    assert.deepEqual(inHarbor.map((r) => `${r.name} ${r.type}`).sort(), ["docker-hub-mirror docker-hub", "docker-mirror docker-registry", "upstream harbor"]);
    const outputs = pulumi(["stack", "output", "--json", "--stack", "dev"]);
    assert.equal(outputs.code, 0, outputs.out);
    const out = JSON.parse(outputs.out) as { ids: Record<string, number>; hubUrl: string };
    const idOf = (name: string): number => inHarbor.find((r) => r.name === name)!.id;
    assert.deepEqual(out.ids, { hub: idOf("docker-hub-mirror"), upstream: idOf("upstream"), mirror: idOf("docker-mirror") });
    assert.equal(out.hubUrl, "https://hub.docker.com");
    // The secrets went in through secret config only: the state holds them encrypted, never in plain text.
    const stateFiles = fs.readdirSync(state, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(stateFiles.some((f) => f.name.endsWith("dev.json")), "the stack's checkpoint is in the backend");
    for (const f of stateFiles) assertNoCanary(`state file ${f.name}`, fs.readFileSync(path.join(f.parentPath, f.name), "utf8"));

    const destroy = timed("pulumi destroy", () => pulumi(["destroy", "--yes", "--skip-preview", "--stack", "dev"]));
    assert.equal(destroy.code, 0, destroy.out);
    assert.deepEqual(await registries(), []);
    const rm = pulumi(["stack", "rm", "--yes", "--stack", "dev"]);
    assert.equal(rm.code, 0, rm.out);
    stackCreated = false;

    // Nothing the CLI printed shows a secret either.
    assertNoCanary("the CLI's output", shown);
  });
});

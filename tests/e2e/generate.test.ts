// `harbor-endpoints generate` round trip under the real Pulumi CLI: 12 endpoints made outside Pulumi are adopted, not touched.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { HarborClient } from "../../provider/harbor/client";
import { type HarborSimulator, startHarborSimulator, type StoredRegistry } from "../../simulator";
import { type DockerRegistry, requireDockerRegistry, startDockerRegistry } from "../support/docker-registry";
import { createProject, type E2eProject, repoRoot, requireEngine, tearDownSuite } from "../support/engine";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import { createTestTls, type TestTls } from "../support/tls";
import { TEMPLATE_TSCONFIG as TEMPLATE } from "../support/template-tsconfig";

const run = Date.now().toString(36);
const HARBOR_PASSWORD = `GenHarborCanary-${run}`;
/** One htpasswd user (and secret) per endpoint that holds a credential, so each stored secret is verified on its own. */
const USERS = ["cache", "tls", "ghcr", "jfrog", "acr", "quay"].map((u) => ({ username: `${u}-user`, password: `GenCanary-${run}-${u}` }));
const REPLICATOR_SECRET = `GenCanary-${run}-replicator`;
const SWR_SECRET = `GenCanary-${run}-swr`;
const REPLICA_PASSWORD = `GenReplicaCanary-${run}`;
const REPLICA_SWR_SECRET = `GenCanary-${run}-replica-swr`;
const CANARIES = [HARBOR_PASSWORD, REPLICATOR_SECRET, SWR_SECRET, REPLICA_PASSWORD, REPLICA_SWR_SECRET, ...USERS.map((u) => u.password)];
const user = (prefix: string) => USERS.find((u) => u.username === `${prefix}-user`)!;

/** The template tsconfig with plain diagnostics, so the compile step's output is read without colour codes. */
const TEMPLATE_TSCONFIG = { ...TEMPLATE, compilerOptions: { ...TEMPLATE.compilerOptions, pretty: false } };

type Summary = Record<string, number | undefined>;
const changes = (s: Summary | undefined): Summary => Object.fromEntries(Object.entries(s ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0));

/** What must survive adoption: every stored field, the real secret included; update_time and status may move. */
function snapshot(r: StoredRegistry): Omit<StoredRegistry, "updateTime" | "status"> {
  const { updateTime: _u, status: _s, ...rest } = r;
  return rest;
}

/** Runs the package's bin as `node <bin> generate ...` with the password on stdin only; resolves with what it printed. */
async function generate(args: string[], password: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["harbor-endpoints"]!;
  const child = spawn(process.execPath, [path.join(repoRoot, bin), "generate", ...args, "--password-stdin"], { cwd, env: { PATH: process.env.PATH ?? "" } });
  child.stdin.end(`${password}\n`);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  return { code, stdout, stderr };
}

/** Runs a command line as a user would type it, in `cwd`, with `input` on stdin. */
function shell(line: string, cwd: string, env: NodeJS.ProcessEnv, input: string): { code: number; out: string } {
  const r = spawnSync("bash", ["-c", line], { cwd, env, input, encoding: "utf8" });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

describe("e2e: harbor-endpoints generate adopts an existing Harbor under the Pulumi CLI", function () {
  this.timeout(240_000);
  let sim: HarborSimulator;
  let replica: HarborSimulator;
  let registry: DockerRegistry;
  let tlsRegistry: DockerRegistry;
  let tls: TestTls;
  let admin: HarborClient;
  let project: E2eProject;
  let stack: Stack;
  let programDir: string;
  let original: Map<number, ReturnType<typeof snapshot>>;
  let secretById: Map<number, string>;
  let replicaIds: number[];
  let replicaOriginal: ReturnType<typeof snapshot>[];
  let configLines: string[];
  let replicaConfigLines: string[];
  const generateOutput: string[] = [];

  before(async function () {
    // generate adopts every endpoint a Harbor holds, so on a shared Harbor it would adopt more than this run's own.
    skipAgainstExternalHarbor(this, "two Harbor simulators, the simulator's request log, stored secrets and extra users, and a Harbor holding only the run's endpoints");
    const engine = requireEngine(this);
    requireDockerRegistry(this);
    tls = createTestTls("generate-e2e");
    registry = await startDockerRegistry({ users: USERS.filter((u) => u.username !== "tls-user") });
    tlsRegistry = await startDockerRegistry({ users: [user("tls")], tls });
    sim = await startHarborSimulator({
      adminPassword: HARBOR_PASSWORD,
      users: [{ username: "replicator", password: REPLICATOR_SECRET, sysadmin: true }],
      // Harbor's health checks of these fixed internet hosts go to the local docker-registry instead.
      remoteOverrides: { "https://registry-1.docker.io": registry.url, "https://ghcr.io": registry.url },
    });
    admin = new HarborClient({ url: sim.url, username: "admin", password: HARBOR_PASSWORD });
    // A second Harbor, adopted through the named connection "replica": its names collide with the first Harbor's.
    replica = await startHarborSimulator({ adminPassword: REPLICA_PASSWORD });
    const replicaAdmin = new HarborClient({ url: replica.url, username: "admin", password: REPLICA_PASSWORD });
    replicaIds = [
      await replicaAdmin.createRegistry({ name: "build-cache", type: "docker-registry", url: registry.url, description: "the replica's cache" }),
      await replicaAdmin.createRegistry({ name: "华为云 SWR 北京", type: "huawei-SWR", url: "https://swr.cn-north-4.myhuaweicloud.com", credential: { access_key: "cn-north-4@AKREPLICA", access_secret: REPLICA_SWR_SECRET } }),
    ];
    await replicaAdmin.close();
    replicaOriginal = replica.storedRegistries().map(snapshot);
    const cred = (u: { username: string; password: string }) => ({ credential: { access_key: u.username, access_secret: u.password } });
    // Made "in the UI": 12 endpoints of 9 types; names with spaces, non-ASCII, a case-variant pair and a reserved word.
    const made: [Parameters<HarborClient["createRegistry"]>[0], string?][] = [
      [{ name: "build-cache", type: "docker-registry", url: registry.url, description: "Layer cache of the CI builds\nowned by the platform team", ...cred(user("cache")) }, user("cache").password],
      [{ name: "Build Cache", type: "docker-registry", url: registry.url, description: "anonymous pulls only" }],
      [{ name: "Zürich mirror (TLS)", type: "docker-registry", url: tlsRegistry.url, ca_certificate: tls.caPem, ...cred(user("tls")) }, user("tls").password],
      [{ name: "Docker Hub mirror", type: "docker-hub", url: "https://hub.docker.com", description: "pull-through cache" }],
      [{ name: "ghcr team-a", type: "github-ghcr", url: "https://ghcr.io", ...cred(user("ghcr")) }, user("ghcr").password],
      [{ name: "central harbor", type: "harbor", url: sim.url, description: "replication source", credential: { access_key: "replicator", access_secret: REPLICATOR_SECRET } }, REPLICATOR_SECRET],
      [{ name: "华为云 SWR 北京", type: "huawei-SWR", url: "https://swr.cn-north-4.myhuaweicloud.com", credential: { access_key: "cn-north-4@AKGEN", access_secret: SWR_SECRET } }, SWR_SECRET],
      [{ name: "artifactory", type: "jfrog-artifactory", url: registry.url, ...cred(user("jfrog")) }, user("jfrog").password],
      [{ name: "acr prod", type: "azure-acr", url: registry.url, ...cred(user("acr")) }, user("acr").password],
      [{ name: "quay.io mirror", type: "quay", url: registry.url, credential: { access_key: "json_file", access_secret: JSON.stringify({ account_name: user("quay").username, docker_cli_password: user("quay").password }) } }, JSON.stringify({ account_name: user("quay").username, docker_cli_password: user("quay").password })],
      [{ name: "dtr", type: "dtr", url: registry.url }],
      [{ name: "delete", type: "docker-registry", url: registry.url, insecure: true, description: "a name that is a reserved word" }],
    ];
    secretById = new Map();
    for (const [body, secret] of made) {
      const id = await admin.createRegistry(body);
      if (secret !== undefined) secretById.set(id, secret);
    }
    original = new Map(sim.storedRegistries().map((r) => [r.id, snapshot(r)]));

    programDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-generate-program-"));
    // The program resolves the package and @pulumi/pulumi as a user's project does, here from this checkout.
    fs.mkdirSync(path.join(programDir, "node_modules"));
    fs.symlinkSync(repoRoot, path.join(programDir, "node_modules", "pulumi-harbor-endpoints"), "dir");
    for (const scope of ["@pulumi", "@types"]) fs.symlinkSync(path.join(repoRoot, "node_modules", scope), path.join(programDir, "node_modules", scope), "dir");
    fs.writeFileSync(path.join(programDir, "tsconfig.json"), `${JSON.stringify(TEMPLATE_TSCONFIG, null, 4)}\n`);
    fs.writeFileSync(path.join(programDir, "index.ts"), 'export { registryIds } from "./endpoints";\nexport { registryIds as replicaRegistryIds } from "./replica-endpoints";\n');
    project = await createProject(engine, { name: "harbor-generate", program: path.join(programDir, "bin", "index.js") });
    stack = await project.stack("adopt");
  });

  after(async () => {
    await tearDownSuite(stack, project, [sim, replica, registry, tlsRegistry]);
    await admin?.close();
    tls?.cleanup();
    if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("1. generate reads the endpoints and writes the modules; they compile under Pulumi's template tsconfig", async () => {
    const { code, stdout, stderr } = await generate(["--url", sim.url, "--username", "admin", "--out", "endpoints.ts"], HARBOR_PASSWORD, programDir);
    generateOutput.push(stdout, stderr);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "", "nothing was left out and nothing needs a note");
    assert.match(stdout, /: 12 endpoints \(azure-acr 1, docker-hub 1, docker-registry 4, dtr 1, github-ghcr 1, harbor 1, huawei-SWR 1, jfrog-artifactory 1, quay 1\), each declared with adopt: true\./);
    const second = await generate(["--url", replica.url, "--username", "admin", "--connection", "replica", "--out", "replica-endpoints.ts"], REPLICA_PASSWORD, programDir);
    generateOutput.push(second.stdout, second.stderr);
    assert.equal(second.code, 0, second.stderr);
    const replicaSource = fs.readFileSync(path.join(programDir, "replica-endpoints.ts"), "utf8");
    assert.equal((replicaSource.match(/^ {2}connection: "replica",$/gm) ?? []).length, 2);
    assert.match(replicaSource, /new RegistryEndpoint\("replica-build-cache", \{/);
    configLines = stdout.split("\n").filter((l) => l.startsWith("pulumi config set --secret "));
    assert.equal(configLines.length, secretById.size);
    replicaConfigLines = second.stdout.split("\n").filter((l) => l.startsWith("pulumi config set --secret "));
    assert.deepEqual(replicaConfigLines.map((l) => l.split("  #")[0]), ["pulumi config set --secret replicaSwrAccessSecret"]);
    const source = fs.readFileSync(path.join(programDir, "endpoints.ts"), "utf8");
    assert.equal((source.match(/^ {2}adopt: true,$/gm) ?? []).length, 12);
    assert.equal((source.match(/config\.requireSecret\(/g) ?? []).length, secretById.size);
    assert.match(source, /caCertificate: `-----BEGIN CERTIFICATE-----\n/);
    assert.match(source, /^\/\/ Layer cache of the CI builds\n\/\/ owned by the platform team\nexport const buildCache = new RegistryEndpoint\("build-cache", \{$/m);

    const tsc = spawnSync(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", programDir], { encoding: "utf8" });
    const diagnostics = `${tsc.stdout}${tsc.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l));
    // The generated module and the program type-check cleanly, strict, against the package's declarations, and so do
    // the declarations they pull in (no skipLibCheck): the public .d.ts expose no zod (TS1259 without esModuleInterop).
    assert.deepEqual(diagnostics, []);
    assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
    assert.ok(fs.existsSync(path.join(programDir, "bin", "endpoints.js")));
    assert.ok(fs.existsSync(path.join(programDir, "bin", "replica-endpoints.js")));
  });

  it("2. with the printed config set lines run, preview plans only adoptions and writes nothing to Harbor", async () => {
    await stack.setAllConfig({
      "harbor:url": { value: sim.url },
      "harbor:username": { value: "admin" },
      "harbor:password": { value: HARBOR_PASSWORD, secret: true },
    });
    await stack.setConfig("harbor:connections.replica.url", { value: replica.url }, true);
    await stack.setConfig("harbor:connections.replica.username", { value: "admin" }, true);
    await stack.setConfig("harbor:connections.replica.password", { value: REPLICA_PASSWORD, secret: true }, true);
    const replicaLine = shell(replicaConfigLines[0]!, project.workDir, { ...process.env, ...project.env }, REPLICA_SWR_SECRET);
    assert.equal(replicaLine.code, 0, replicaLine.out);
    for (const line of configLines) {
      const id = Number(/Harbor id (\d+)/.exec(line)?.[1]);
      const secret = secretById.get(id);
      assert.ok(secret !== undefined, `no secret known for ${line}`);
      // Exactly as printed; the value goes in on stdin, as pulumi reads it when none is on the command line.
      const r = shell(line, project.workDir, { ...process.env, ...project.env }, secret);
      assert.equal(r.code, 0, r.out);
    }
    sim.resetRequests();
    replica.resetRequests();
    const preview = await stack.preview();
    assert.deepEqual(changes(preview.changeSummary), { create: 15 }); // 12 + 2 endpoints + the stack
    assert.deepEqual(replica.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/registries/ping")).map((r) => r.path), []);
    const writes = sim.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/registries/ping"));
    assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), []);
    // Every credential the program supplies is the one Harbor holds: the preview's connection tests pass with it.
    assert.equal(sim.requests.filter((r) => r.path.endsWith("/registries/ping") && r.status === 200).length, 12);
  });

  it("3. up adopts all 14 on both Harbors: same ids, nothing added or removed, no copied field changed, every credential still valid", async () => {
    sim.resetRequests();
    replica.resetRequests();
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.deepEqual(changes(up.summary.resourceChanges), { create: 15 });
    for (const harbor of [sim, replica]) {
      assert.deepEqual(harbor.requests.filter((r) => r.method === "DELETE" || (r.method === "POST" && r.path === "/api/v2.0/registries")).map((r) => r.path), []);
      // The only write adoption makes is the secret the program supplies; no copied setting is in any PUT.
      for (const put of harbor.requests.filter((r) => r.method === "PUT")) assert.deepEqual(Object.keys(put.body as object), ["access_secret"], JSON.stringify(put.path));
    }
    const after = new Map(sim.storedRegistries().map((r) => [r.id, snapshot(r)]));
    assert.deepEqual(after, original);
    assert.deepEqual(replica.storedRegistries().map(snapshot), replicaOriginal);
    const byName = (list: StoredRegistry[]) => Object.fromEntries(list.map((r) => [r.name, r.id]));
    assert.deepEqual(up.outputs.registryIds.value, byName(sim.storedRegistries()));
    assert.deepEqual(up.outputs.replicaRegistryIds.value, byName(replica.storedRegistries()));
    assert.deepEqual(replica.storedRegistries().map((r) => r.id), replicaIds);
    // Harbor's own Test Connection by id, with the credential it stores, succeeds for every endpoint.
    for (const id of after.keys()) await admin.pingRegistry({ id });
  });

  it("4. the next preview shows no changes", async () => {
    const preview = await stack.preview({ diff: true });
    assert.deepEqual(changes(preview.changeSummary), {});
    assert.equal(preview.changeSummary.same, 15);
  });

  it("secret scan: no canary in the generated module, the command's output, state, engine output or provider stderr", function () {
    const places: [string, string][] = [
      ["generated modules", ["endpoints.ts", "replica-endpoints.ts"].map((f) => fs.readFileSync(path.join(programDir, f), "utf8")).join("\n")],
      ["generate output", generateOutput.join("\n")],
      ["exported state", project.exportStack("adopt").text],
      ...project.backendFiles().map((f): [string, string] => [f.file, f.text]),
      ["engine output", project.output.join("\n")],
    ];
    for (const [where, text] of places) for (const canary of CANARIES) assert.ok(!text.includes(canary), `${where} holds a canary secret in plain text`);
    const providerStderr = project.providerStderr(this);
    for (const canary of CANARIES) assert.ok(!providerStderr.includes(canary), "provider stderr holds a canary secret in plain text");
  });
});

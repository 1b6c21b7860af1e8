// `harbor-endpoints generate` against the Harbor simulator over real HTTP: paging, filters, password sources, errors.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { main } from "../../../cli/bin";
import { HarborClient } from "../../../provider/harbor/client";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

const PASSWORD = "GenerateCanary-Pw-41c9";
const ROBOT_PASSWORD = "GenerateCanary-Robot-77aa";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

async function run(argv: string[], opts: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  const out = sink();
  const err = sink();
  const code = await main(argv, {
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    stdinIsTTY: false,
    stdout: out.stream,
    stderr: err.stream,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
  });
  const result = { code, stdout: out.text(), stderr: err.text() };
  for (const secret of [PASSWORD, ROBOT_PASSWORD]) {
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), "a password reached the output");
  }
  return result;
}

describe("sim: harbor-endpoints generate", function () {
  this.timeout(60_000);
  let sim: HarborSimulator;
  let admin: HarborClient;
  let dir: string;
  let base: string[];
  const PAGED = 230;

  before(async () => {
    sim = await startHarborSimulator({
      adminPassword: PASSWORD,
      users: [{ username: "robot$reader", password: ROBOT_PASSWORD, permissions: ["registry:read"] }],
    });
    admin = new HarborClient({ url: sim.url, username: "admin", password: PASSWORD });
    // More than two pages of 100: huawei-SWR is the type whose health check needs no network.
    for (let i = 0; i < PAGED; i++) {
      await admin.createRegistry({
        name: `swr ${String(i).padStart(3, "0")}`,
        type: "huawei-SWR",
        url: "https://swr.cn-north-4.myhuaweicloud.com",
        ...(i % 2 === 0 ? { credential: { access_key: `cn-north-4@AK${i}`, access_secret: `s-${i}` } } : {}),
      });
    }
    await admin.createRegistry({ name: "Hub mirror", type: "huawei-SWR", url: "https://swr.ap-southeast-1.myhuaweicloud.com" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "generate-sim-"));
    base = ["generate", "--url", sim.url, "--username", "admin", "--password-stdin"];
  });
  after(async () => {
    await admin.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads every page and declares every endpoint once, Harbor's Local registry excluded", async () => {
    const listed = (await admin.listRegistries()).length;
    sim.resetRequests();
    const r = await run(base, { stdin: `${PASSWORD}\n` });
    assert.equal(r.code, 0, r.stderr);
    const declared = [...r.stdout.matchAll(/^export const (\w+) = new RegistryEndpoint\("([^"]+)"/gm)];
    assert.equal(declared.length, listed);
    assert.ok(listed >= PAGED);
    assert.equal(new Set(declared.map((m) => m[2])).size, listed);
    assert.doesNotMatch(r.stdout, /name: "Local"/);
    const pages = sim.requests.filter((q) => q.method === "GET" && q.path === "/api/v2.0/registries");
    assert.equal(pages.length, Math.ceil(listed / 100));
    // Read-only: generate never writes to Harbor.
    assert.deepEqual(sim.requests.filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.path}`), []);
    // Without --out the module goes to stdout and the instructions to stderr.
    assert.match(r.stderr, /^Module written to standard output: \d+ endpoints \(/m);
    assert.equal((r.stderr.match(/^pulumi config set --secret swr\d+AccessSecret {2}# access secret of "swr \d+"/gm) ?? []).length, PAGED / 2);
  });

  it("--filter keeps the endpoints whose name matches any glob", async () => {
    const r = await run([...base, "--filter", "swr 00[0-2]", "--filter", "Hub*"], { stdin: PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    const names = [...r.stdout.matchAll(/^ {2}name: "([^"]+)",$/gm)].map((m) => m[1]);
    assert.deepEqual(names.sort(), ["Hub mirror", "swr 000", "swr 001", "swr 002"]);
    assert.match(r.stdout, /--filter "swr 00\[0-2\]" --filter "Hub\*"/);
  });

  it("fails naming the filter and some existing names when nothing matches", async () => {
    const r = await run([...base, "--filter", "prod-*"], { stdin: PASSWORD });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^harbor-endpoints: no endpoint name matches --filter "prod-\*"; Harbor at http:\/\/127\.0\.0\.1:\d+ has "Hub mirror", "swr 000", .* and \d+ more\n$/);
  });

  it("writes --out, prints the config set lines on stdout, and refuses to overwrite without --force", async () => {
    const file = path.join(dir, "endpoints.ts");
    const first = await run([...base, "--filter", "swr 00?", "--out", "endpoints.ts"], { stdin: PASSWORD, cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(fs.readFileSync(file, "utf8"), /^export const swr000 = new RegistryEndpoint\("swr-000", \{$/m);
    assert.match(first.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: 10 endpoints \\(huawei-SWR 10\\), each declared with adopt: true\\.$`, "m"));
    assert.deepEqual(first.stdout.split("\n").filter((l) => l.startsWith("pulumi config set")).map((l) => l.split(" ")[4]), [
      "swr000AccessSecret", "swr002AccessSecret", "swr004AccessSecret", "swr006AccessSecret", "swr008AccessSecret",
    ]);
    fs.writeFileSync(file, "// hand edits\n");
    const again = await run([...base, "--filter", "swr 00?", "--out", file], { stdin: PASSWORD });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; pass --force to overwrite it/);
    assert.equal(fs.readFileSync(file, "utf8"), "// hand edits\n");
    const forced = await run([...base, "--filter", "swr 00?", "--out", file, "--force"], { stdin: PASSWORD });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(fs.readFileSync(file, "utf8"), /swr000/);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  });

  it("refuses plain http:// to a Harbor that is not this machine unless HARBOR_ALLOW_HTTP=true, contacting nothing", async () => {
    const env = { HARBOR_USERNAME: "admin", HARBOR_PASSWORD: PASSWORD };
    const r = await run(["generate", "--url", "http://harbor.example.invalid"], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--url uses plain http:\/\/ to harbor\.example\.invalid.*HARBOR_ALLOW_HTTP=true/);
    // With the opt-in the command goes on to Harbor (unreachable here: a network failure, not the refusal).
    const allowed = await run(["generate", "--url", "http://harbor.example.invalid"], { env: { ...env, HARBOR_ALLOW_HTTP: "true" } });
    assert.equal(allowed.code, 1);
    assert.doesNotMatch(allowed.stderr, /plain http/);
  });

  it("takes the password from HARBOR_PASSWORD, and the URL and user from HARBOR_URL and HARBOR_USERNAME", async () => {
    const r = await run(["generate", "--filter", "swr 000"], { env: { HARBOR_URL: sim.url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: PASSWORD } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /name: "swr 000"/);
  });

  it("never accepts a password as an argument, and never repeats it", async () => {
    for (const argv of [[...base.slice(0, 5), "--password", PASSWORD], [...base.slice(0, 5), `--password=${PASSWORD}`], [...base, PASSWORD]]) {
      const r = await run(argv, { stdin: PASSWORD });
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.stderr, /^harbor-endpoints: (a password is never accepted as an argument|generate takes options only)/);
    }
  });

  it("fails with usage errors naming the flag", async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [["generate", "--username", "admin", "--password-stdin"], /--url is required \(or set HARBOR_URL\)/],
      [["generate", "--url", sim.url, "--password-stdin"], /--username is required/],
      [["generate", "--url", sim.url, "--username", "admin"], /no Harbor password: pipe it with --password-stdin, or set HARBOR_PASSWORD/],
      [["generate", "--url", `http://admin:${PASSWORD}@127.0.0.1:1`, "--username", "admin", "--password-stdin"], /--url must not contain a user or password/],
      [["generate", "--url", "ftp://h", "--username", "a", "--password-stdin"], /--url must start with http:\/\/ or https:\/\//],
      [[...base, "--out", "x.js"], /--out must name a TypeScript file ending in \.ts/],
      [[...base, "--filter", "[a"], /--filter: glob "\[a" has a \[ without its closing \]/],
      [[...base, "--connection", "a b"], /--connection must be a connection name/],
      [[...base, "--url", sim.url], /--url is given more than once/],
      [[...base, "--insecure", "--ca-file", "x.pem"], /--insecure and --ca-file exclude each other/],
      [[...base, "--bogus=1"], /Unknown option '--bogus' \(see --help\)/],
      [["frobnicate"], /unknown command "frobnicate"; the command is `generate`/],
    ];
    for (const [argv, message, env] of cases) {
      const r = await run(argv, { stdin: PASSWORD, env });
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split("\n").length, 2, "one line");
    }
    const empty = await run(base, { stdin: "\n" });
    assert.match(empty.stderr, /--password-stdin read an empty password/);
  });

  it("says which flag to fix when Harbor rejects the login or the account may not list registries", async () => {
    const wrong = await run(base, { stdin: `wrong-${PASSWORD}` });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^harbor-endpoints: Harbor at http:\/\/127\.0\.0\.1:\d+ rejected the login of "admin" \(401\): check --username and the password from --password-stdin or HARBOR_PASSWORD \(request id [^)]+\)\n$/);
    const robot = await run(["generate", "--url", sim.url, "--username", "robot$reader", "--password-stdin"], { stdin: ROBOT_PASSWORD });
    assert.equal(robot.code, 1);
    assert.match(robot.stderr, /refused to list registry endpoints to "robot\$reader" \(403\): use an administrator, or a robot account with the system permission to list registries/);
  });

  it("says Harbor did not answer when nothing listens at --url", async () => {
    const closed = await startHarborSimulator();
    const url = closed.url;
    await closed.close();
    const r = await run(["generate", "--url", url, "--username", "admin", "--password-stdin"], { stdin: PASSWORD });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^harbor-endpoints: Harbor at http:\/\/127\.0\.0\.1:\d+ did not answer \(ECONNREFUSED\): check --url and that Harbor is reachable from this machine\n$/);
  });

  it("prints help for the command and for generate, and the version", async () => {
    assert.match((await run(["--help"])).stdout, /^usage: harbor-endpoints <command>/);
    const help = await run(["generate", "--help"]);
    assert.equal(help.code, 0);
    for (const flag of ["--url", "--username", "--password-stdin", "--connection", "--filter", "--out", "--force", "--insecure", "--ca-file"]) assert.match(help.stdout, new RegExp(`  ${flag} `));
    assert.match((await run(["--version"])).stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal((await run([])).code, 2);
  });
});

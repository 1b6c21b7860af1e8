// Simulator: the `harbor-sim` command prints its URL, serves Harbor's API, honours its flags, and exits on SIGTERM.
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { startFakeRegistry } from "./helpers";

const BIN = path.resolve(__dirname, "../../../simulator/bin.js");

/** Starts `harbor-sim` with `args`; resolves its URL from the first line. */
async function startBin(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [BIN, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      // The URL line, and the stand-ins line when there is one, are written before the server takes requests.
      const m = /listening on (\S+).*\n(?:.*\n)?/.exec(out);
      if (m && (args.includes("--no-stand-ins") || /stand-ins/.test(out))) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`harbor-sim exited ${code}: ${err}`)));
  });
  return { child, url, out: () => out };
}

function post(url: string, user: string, password: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/v2.0${path}`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Runs `harbor-sim` with bad flags: resolves exit code and stderr. */
async function badRun(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const bad = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  bad.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => bad.once("exit", (c) => r(c)));
  return { code, stderr };
}

describe("harbor-sim bin", () => {
  it("prints `Harbor simulator listening on <url> (user admin)`, answers with the given password, and stops on SIGTERM", async function () {
    this.timeout(15_000);
    const bin = path.resolve(__dirname, "../../../simulator/bin.js");
    const child = spawn(process.execPath, [bin, "--port", "0", "--admin-password", "pw-from-cli"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const m = /^Harbor simulator listening on (http:\/\/127\.0\.0\.1:\d+) \(user admin\)$/.exec(line);
      assert.ok(m, line);
      const ok = await fetch(`${m[1]}/api/v2.0/registries`, { headers: { authorization: `Basic ${Buffer.from("admin:pw-from-cli").toString("base64")}` } });
      assert.equal(ok.status, 200);
      const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      assert.equal(await exit, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("sends health checks of an origin given with --remote-override to the URL given, and rejects a malformed one", async function () {
    this.timeout(15_000);
    const bin = path.resolve(__dirname, "../../../simulator/bin.js");
    const remote = await startFakeRegistry((_req, res) => res.writeHead(401, { "www-authenticate": 'Basic realm="fake"' }).end());
    const child = spawn(process.execPath, [bin, "--port", "0", "--admin-password", "pw", "--remote-override", `https://registry-1.docker.io=${remote.url}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (c: Buffer) => {
          const m = /listening on (\S+)/.exec(c.toString());
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/api/v2.0/registries`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from("admin:pw").toString("base64")}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "hub", type: "docker-hub", url: "https://hub.docker.com" }),
      });
      assert.equal(res.status, 201, await res.text());
      assert.deepEqual(remote.requests.map((r) => `${r.method} ${r.url}`), ["GET /v2/"]);
    } finally {
      child.kill("SIGKILL");
      await remote.close();
    }
    // Malformed values exit 2 with one line naming the flag and the part at fault.
    for (const [value, message] of [
      ["registry-1.docker.io", /^harbor-sim: --remote-override must be ORIGIN=URL, e\.g\. /],
      ["registry-1.docker.io=http://127.0.0.1:5000", /^harbor-sim: --remote-override ORIGIN "registry-1\.docker\.io" is not a URL/],
      ["https://registry-1.docker.io=ftp://127.0.0.1:5000", /^harbor-sim: --remote-override URL must be an http:\/\/ or https:\/\/ URL/],
    ] as const) {
      const bad = spawn(process.execPath, [bin, "--remote-override", value], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      bad.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      assert.equal(await new Promise<number | null>((r) => bad.once("exit", (code) => r(code))), 2, value);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
    }
  });

  it("with no flags serves offline stand-ins: the README's docker-hub and github-ghcr endpoints are created; --no-stand-ins turns them off", async function () {
    this.timeout(20_000);
    const hub = { name: "docker-hub-mirror", type: "docker-hub", url: "https://hub.docker.com", credential: { type: "basic", access_key: "my-user", access_secret: "tok" } };
    const ghcr = { name: "ghcr", type: "github-ghcr", url: "https://ghcr.io" };
    const on = await startBin([]);
    try {
      assert.match(on.out(), /^Offline stand-ins for https:\/\/hub\.docker\.com, https:\/\/registry-1\.docker\.io, https:\/\/auth\.docker\.io, https:\/\/ghcr\.io /m);
      for (const body of [hub, ghcr]) {
        const r = await post(on.url, "admin", "Harbor12345", "/registries", body);
        assert.equal(r.status, 201, await r.text());
      }
    } finally {
      on.child.kill("SIGKILL");
    }
    const off = await startBin(["--no-stand-ins"]);
    try {
      assert.doesNotMatch(off.out(), /stand-ins/);
      for (const body of [hub, ghcr]) {
        const r = await post(off.url, "admin", "Harbor12345", "/registries", body);
        assert.equal(r.status, body === hub ? 500 : 400, `${body.type}: ${await r.text()}`);
      }
    } finally {
      off.child.kill("SIGKILL");
    }
  });

  it("takes --remote-override more than once, each origin to its own URL", async function () {
    this.timeout(15_000);
    const a = await startFakeRegistry((_req, res) => res.writeHead(401, { "www-authenticate": 'Basic realm="a"' }).end());
    const b = await startFakeRegistry((_req, res) => res.writeHead(200).end());
    const sim = await startBin(["--no-stand-ins", "--remote-override", `https://registry-1.docker.io=${a.url}`, "--remote-override", `https://ghcr.io=${b.url}`]);
    try {
      assert.equal((await post(sim.url, "admin", "Harbor12345", "/registries", { name: "hub", type: "docker-hub", url: "https://hub.docker.com" })).status, 201);
      assert.equal((await post(sim.url, "admin", "Harbor12345", "/registries", { name: "gh", type: "github-ghcr", url: "https://ghcr.io" })).status, 201);
      assert.deepEqual(a.requests.map((r) => r.url), ["/v2/"]);
      assert.deepEqual(b.requests.map((r) => r.url), ["/v2/"]);
    } finally {
      sim.child.kill("SIGKILL");
      await a.close();
      await b.close();
    }
  });

  it("adds --user accounts with the simulator's system permissions, and rejects a malformed --user naming the part at fault", async function () {
    this.timeout(20_000);
    const sim = await startBin(["--user", "robot$ci:ci-Pw1:registry:list,registry:create", "--user", "viewer:v-Pw2", "--user", "root2:r-Pw3:sysadmin"]);
    try {
      assert.match(sim.out(), /\(user admin; users robot\$ci, viewer, root2\)$/m);
      const body = (name: string) => ({ name, type: "docker-registry", url: "http://127.0.0.1:1" });
      // registry:create without the health check: docker-registry on a closed port is unhealthy (400), not 403.
      assert.equal((await post(sim.url, "robot$ci", "ci-Pw1", "/registries", body("a"))).status, 400);
      const list = (user: string, pw: string) => fetch(`${sim.url}/api/v2.0/registries`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}` } });
      assert.equal((await list("robot$ci", "ci-Pw1")).status, 200);
      assert.equal((await list("viewer", "v-Pw2")).status, 403);
      assert.equal((await list("viewer", "wrong")).status, 401);
      assert.equal((await list("root2", "r-Pw3")).status, 200);
      const del = await fetch(`${sim.url}/api/v2.0/registries/1`, { method: "DELETE", headers: { authorization: `Basic ${Buffer.from("robot$ci:ci-Pw1").toString("base64")}` } });
      assert.equal(del.status, 403);
    } finally {
      sim.child.kill("SIGKILL");
    }
    for (const [value, message] of [
      ["robot", /^harbor-sim: --user must be NAME:PASSWORD\[:PERM,\.\.\.\]/],
      ["robot:", /^harbor-sim: --user robot: the password is empty/],
      ["robot:Secret-77:registries:read", /^harbor-sim: --user robot: unknown permission "registries:read"; use RESOURCE:ACTION with RESOURCE one of registry, replication-adapter, replication-policy/],
      ["robot:Secret-77:registry:write", /unknown permission "registry:write"/],
      ["admin:Secret-77", /^harbor-sim: --user admin: the admin account is set with --admin-password/],
    ] as const) {
      const { code, stderr } = await badRun(["--user", value]);
      assert.equal(code, 2, value);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.doesNotMatch(stderr, /Secret-77/);
    }
    const twice = await badRun(["--user", "a:p1", "--user", "a:p2"]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--user a is given twice/);
  });

  it("--help documents every flag it parses and exits 0; an unknown flag exits 2 pointing at --help", async () => {
    const child = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    assert.equal(await new Promise<number | null>((r) => child.once("exit", (c) => r(c))), 0);
    const source = require("node:fs").readFileSync(BIN, "utf8") as string;
    const parsed = [...source.matchAll(/^\s+"?([a-z-]+)"?: \{ type: "(?:string|boolean)"/gm)].map((m) => m[1]!);
    assert.ok(parsed.length >= 8, `flags found in bin.js: ${parsed.join(",")}`);
    for (const flag of parsed) assert.match(out, new RegExp(`^\\s+(-h, )?--${flag}\\b`, "m"), `--help does not document --${flag}`);
    const unknown = await badRun(["--prot", "8080"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^harbor-sim: Unknown option '--prot'.*\(see harbor-sim --help\)$/m);
  });

  it("rejects an invalid --port with exit code 2", async () => {
    const bin = path.resolve(__dirname, "../../../simulator/bin.js");
    const child = spawn(process.execPath, [bin, "--port", "abc"], { stdio: "ignore" });
    assert.equal(await new Promise<number | null>((r) => child.once("exit", (code) => r(code))), 2);
  });
});

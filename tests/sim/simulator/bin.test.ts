// Simulator: the `harbor-sim` command prints its URL, serves Harbor's API, honours its flags, and exits on SIGTERM.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startFakeRegistry } from "./helpers";

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

  it("rejects an invalid --port with exit code 2", async () => {
    const bin = path.resolve(__dirname, "../../../simulator/bin.js");
    const child = spawn(process.execPath, [bin, "--port", "abc"], { stdio: "ignore" });
    assert.equal(await new Promise<number | null>((r) => child.once("exit", (code) => r(code))), 2);
  });
});

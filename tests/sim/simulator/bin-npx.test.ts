// Simulator: `npx harbor-sim`, run from a project that has the package installed, stops cleanly on SIGTERM to npx and
// on a terminal's Ctrl-C (SIGINT to the whole process group): the simulator says it stopped, its port is free, and no
// process of the tree is left. npx starts harbor-sim under `sh -c` and forwards signals to that shell only.
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "../../support/free-port";

const REPO = path.resolve(__dirname, "../../../..");
const NODE_BIN = path.dirname(process.execPath);

/** Every live descendant pid of `root` (Linux /proc). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z";
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("harbor-sim under npx", function () {
  this.timeout(60_000);
  let project: string;
  before(function () {
    if (process.platform !== "linux") this.skip();
    project = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-sim-npx-"));
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "npx-fixture", version: "1.0.0", private: true }));
    // A folder install links the package and its bins, as `npm install <path>` does for a user. Without
    // --ignore-scripts npm would run the package's `prepare` (a full build) in this very checkout while tests use it.
    execFileSync(path.join(NODE_BIN, "npm"), ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", REPO], {
      cwd: project,
      env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` },
      stdio: "pipe",
    });
  });
  after(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  for (const [how, signal, toGroup] of [
    ["SIGTERM sent to npx", "SIGTERM", false],
    ["Ctrl-C (SIGINT to the process group)", "SIGINT", true],
    ["SIGTERM sent to the process group", "SIGTERM", true],
  ] as const) {
    it(`stops on ${how}: exit message, port free, no process left`, async () => {
      const port = await freePort();
      const npx = spawn(path.join(NODE_BIN, "npx"), ["harbor-sim", "--port", String(port)], {
        cwd: project,
        detached: true, // its own process group, as a terminal's foreground job
        env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      npx.stdout.on("data", (c: Buffer) => (out += c.toString()));
      npx.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const exited = new Promise<void>((r) => npx.once("exit", () => r()));
      let tree: number[] = [];
      try {
        await waitFor(`harbor-sim listening (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`, () => /Offline stand-ins/.test(out), 30_000);
        assert.match(out, new RegExp(`listening on http://127\\.0\\.0\\.1:${port} `));
        tree = descendants(npx.pid!);
        assert.ok(tree.length >= 1, "npx has a child");
        assert.equal(await portOpen(port), true);
        process.kill(toGroup ? -npx.pid! : npx.pid!, signal);
        await exited;
        await waitFor("every process of the tree gone", () => tree.every((p) => !alive(p)));
        assert.equal(await portOpen(port), false, "port still open");
        assert.match(out, new RegExp(`^Harbor simulator stopped \\((${signal}|npx exited)\\)$`, "m"));
        assert.equal(out.match(/stopped/g)?.length, 1, out);
      } finally {
        for (const p of [npx.pid!, ...tree]) if (alive(p)) process.kill(p, "SIGKILL");
      }
    });
  }
});

// Test support: runs the real Debian `docker-registry` (Docker Distribution) on loopback with htpasswd auth and optional TLS.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./free-port";
import type { TestTls } from "./tls";

/** Path of the registry binary (env DOCKER_REGISTRY_BIN overrides). */
export const DOCKER_REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? "/usr/bin/docker-registry";

/** Whether the registry binary and htpasswd are installed. */
export function dockerRegistryAvailable(): boolean {
  return fs.existsSync(DOCKER_REGISTRY_BIN) && commandExists("htpasswd");
}

function commandExists(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Skips the calling suite when the binary is missing, except under CI=true where a missing binary is a failure
 * (the acceptance tests must not silently vanish in CI).
 */
export function requireDockerRegistry(ctx: Mocha.Context): void {
  if (dockerRegistryAvailable()) return;
  const msg = `${DOCKER_REGISTRY_BIN} or htpasswd is missing: install the Debian packages docker-registry and apache2-utils`;
  if (process.env.CI === "true") throw new Error(msg);
  ctx.skip();
}

/** Options of {@link startDockerRegistry}. */
export interface DockerRegistryOptions {
  /** htpasswd users; without any, the registry runs without auth. */
  users?: { username: string; password: string }[];
  /** Serve HTTPS with this certificate (from `createTestTls` in ./tls). */
  tls?: TestTls;
  /** Address to listen on; default 127.0.0.1 (`0.0.0.0` lets a Harbor on another machine reach it). */
  listenHost?: string;
}

/** A running docker-registry. */
export interface DockerRegistry {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

function probe(url: string, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const mod = url.startsWith("https:") ? https : http;
    const req = mod.get(`${url}/v2/`, { ca, timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Starts docker-registry on a free port (on loopback unless `listenHost` says otherwise) and waits until /v2/ answers; storage is a temp dir. */
export async function startDockerRegistry(opts: DockerRegistryOptions = {}): Promise<DockerRegistry> {
  if (!dockerRegistryAvailable()) throw new Error(`${DOCKER_REGISTRY_BIN} or htpasswd is not installed`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-registry-"));
  const port = await freePort();
  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${path.join(dir, "data")}`,
    "http:",
    `  addr: ${opts.listenHost ?? "127.0.0.1"}:${port}`,
    `  secret: ${Math.random().toString(36).slice(2)}`,
  ];
  if (opts.tls) lines.push("  tls:", `    certificate: ${opts.tls.certPath}`, `    key: ${opts.tls.keyPath}`);
  if (opts.users && opts.users.length > 0) {
    const htpasswd = opts.users
      // -i reads the password from stdin, so it never shows in a process listing.
      .map((u) => execFileSync("htpasswd", ["-B", "-n", "-i", u.username], { input: u.password, encoding: "utf8" }).trim())
      .join("\n");
    fs.writeFileSync(path.join(dir, "htpasswd"), `${htpasswd}\n`);
    lines.push("auth:", "  htpasswd:", "    realm: test-registry", `    path: ${path.join(dir, "htpasswd")}`);
  }
  const config = path.join(dir, "config.yml");
  fs.writeFileSync(config, `${lines.join("\n")}\n`);
  const child: ChildProcess = spawn(DOCKER_REGISTRY_BIN, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString("utf8")).slice(-4000);
  });
  const url = `${opts.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (!(await probe(url, opts.tls?.caPem))) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`docker-registry did not answer on ${url} within 15s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Runs moto's AWS server on loopback for tests and sets up IAM users whose keys moto then enforces.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port";

/** A running moto server. */
export interface MotoServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** Creates an IAM user allowed `ecr:*` and returns a fresh access key for it (call before `enableAuth`). */
  createUserWithKey(userName: string): Promise<{ accessKeyId: string; secretAccessKey: string }>;
  /** From now on moto checks every request's access key and signature against its IAM users. */
  enableAuth(): Promise<void>;
  close(): Promise<void>;
}

/** Whether `python3 -m moto.server` can run here (PyPI package `moto[server]`). */
export function motoAvailable(): boolean {
  try {
    execFileSync("python3", ["-c", "import moto.server"], { stdio: "ignore", timeout: 20000 });
    return true;
  } catch {
    return false;
  }
}

/** Skips the calling suite when moto is missing, except under CI=true where that is a failure. */
export function requireMoto(ctx: Mocha.Context): void {
  if (motoAvailable()) return;
  if (process.env.CI === "true") throw new Error("moto is not installed: pip install 'moto[server]'");
  ctx.skip();
}

// moto routes a request to a service by the credential scope of its Authorization header; auth is off at this point.
const IAM_AUTH = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0";

async function iam(url: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: IAM_AUTH },
    body: new URLSearchParams({ ...params, Version: "2010-05-08" }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto IAM ${params["Action"]} answered ${res.status}`);
  return text;
}

function xmlValue(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) throw new Error(`moto answer has no ${tag}`);
  return m[1]!;
}

/** Starts `moto_server` (or `python3 -m moto.server`) on 127.0.0.1 and waits until it answers. */
export async function startMoto(timeoutMs = 30000): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited: ${stderr}`);
    try {
      const res = await fetch(`${url}/moto-api/data.json`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`moto server did not start within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async createUserWithKey(userName) {
      await iam(url, { Action: "CreateUser", UserName: userName });
      const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] });
      await iam(url, { Action: "PutUserPolicy", UserName: userName, PolicyName: "ecr", PolicyDocument: policy });
      const xml = await iam(url, { Action: "CreateAccessKey", UserName: userName });
      return { accessKeyId: xmlValue(xml, "AccessKeyId"), secretAccessKey: xmlValue(xml, "SecretAccessKey") };
    },
    async enableAuth() {
      const res = await fetch(`${url}/moto-api/reset-auth`, { method: "POST", body: "0" });
      if (!res.ok) throw new Error(`moto reset-auth answered ${res.status}`);
      await res.arrayBuffer();
    },
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}

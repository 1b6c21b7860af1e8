// Shared helpers of the simulator tests: authenticated HTTP calls and fake remote registries on 127.0.0.1.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { HarborSimulator } from "../../../simulator";

/** A decoded simulator response. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Options of {@link call}. */
export interface CallOptions {
  /** `[user, password]`, or null for anonymous. Default admin. */
  auth?: [string, string] | null;
  body?: unknown;
  /** Raw body text (sent as-is). */
  raw?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** Calls the simulator; `path` is relative to /api/v2.0 unless it starts with `//` (then taken from the root). */
export async function call(sim: HarborSimulator, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const url = path.startsWith("//") ? `${sim.url}${path.slice(1)}` : `${sim.url}/api/v2.0${path}`;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const auth = opts.auth === undefined ? [sim.username, sim.password] : opts.auth;
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString("base64")}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/json";
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The single error of a Harbor error envelope. */
export function harborErr(r: Reply): { code: string; message: string } {
  const errs = (r.json as { errors?: { code: string; message: string }[] } | undefined)?.errors;
  if (!errs || errs.length !== 1) throw new Error(`expected one Harbor error, got ${r.status} ${r.text}`);
  return errs[0]!;
}

/** Asserts Harbor's 400 BAD_REQUEST envelope with exactly this message. */
export function assertBadRequest(r: Reply, message: string): void {
  if (r.status !== 400) throw new Error(`expected 400 "${message}", got ${r.status} ${r.text}`);
  const err = harborErr(r);
  if (err.code !== "BAD_REQUEST" || err.message !== message) throw new Error(`expected BAD_REQUEST "${message}", got ${err.code} "${err.message}"`);
}

/** Creates a registry and returns its id (asserting 201). */
export async function createRegistry(sim: HarborSimulator, body: Record<string, unknown>): Promise<number> {
  const r = await call(sim, "POST", "/registries", { body });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
  return Number(r.headers.get("location")!.split("/").pop());
}

/** A body for an always-healthy registry (huawei-SWR makes no network call). */
export function swr(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: "huawei-SWR", url: "https://swr.example.test", ...extra };
}

/** A fake remote registry: records requests and answers with the given handler. */
export interface FakeRegistry {
  url: string;
  requests: { method: string; url: string; authorization?: string; body: string }[];
  close(): Promise<void>;
}

/** Starts a fake registry on 127.0.0.1:0. */
export async function startFakeRegistry(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<FakeRegistry> {
  const requests: FakeRegistry["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Basic-auth header value. */
export function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

/** A fake registry requiring basic auth `user:pass` on /v2/ (401 with a Basic challenge otherwise). */
export function basicAuthRegistry(user: string, pass: string): Promise<FakeRegistry> {
  return startFakeRegistry((req, res) => {
    if (req.url === "/v2/" && req.headers.authorization === basic(user, pass)) {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    res.writeHead(401, { "www-authenticate": 'Basic realm="fake"' }).end();
  });
}

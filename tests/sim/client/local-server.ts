// Test helper: a scripted HTTP(S) server on 127.0.0.1 port 0 that records what the client sent.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** Decides the answer to a request; may also destroy the socket. */
export type Handler = (req: RecordedRequest, res: http.ServerResponse, count: number) => void;

/** A running scripted server. */
export interface LocalServer {
  url: string;
  requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** Sends a JSON answer the way Harbor does (request id echoed). */
export function sendJson(req: RecordedRequest, res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "x-request-id": String(req.headers["x-request-id"] ?? "server-generated"),
    ...headers,
  });
  res.end(text);
}

/** Sends Harbor's error envelope. */
export function sendErrors(req: RecordedRequest, res: http.ServerResponse, status: number, code: string, ...messages: string[]): void {
  sendJson(req, res, status, { errors: messages.map((message) => ({ code, message })) });
}

/** Starts a server on 127.0.0.1:0; with `tls`, serves HTTPS with the given key and certificate. */
export async function startLocalServer(tls?: { key: string; cert: string }): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  let handler: Handler = (req, res) => sendErrors(req, res, 404, "NOT_FOUND", "no handler");
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      requests.push(recorded);
      handler(recorded, res, requests.length);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fake clock whose sleeps return at once and are recorded. */
export function fakeClock(start = Date.parse("2026-08-01T10:00:00Z")): { now(): number; sleep(ms: number): Promise<void>; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

/** A registry body as Harbor's GET returns it. */
export function registryJson(id: number, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    creation_time: "2026-08-01T10:00:00.123Z",
    credential: { access_key: "user", access_secret: "*****", type: "basic" },
    id,
    name,
    status: "healthy",
    type: "docker-registry",
    update_time: "2026-08-01T10:00:00.123Z",
    url: "https://registry.example.com",
    ...extra,
  };
}

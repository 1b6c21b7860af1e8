// A scriptable HTTP remote on 127.0.0.1 (token-auth registry, Harbor /api/version, Docker Hub login) that logs every request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake remote received. */
export interface FakeRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

/** A running fake remote. */
export interface FakeRemote {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** Handler: return true when it answered. */
export type FakeRoute = (req: FakeRequest, res: ServerResponse, url: string) => boolean;

/** Starts a fake remote whose routes are tried in order; unmatched requests get 404. */
export async function startFakeRemote(routes: FakeRoute[]): Promise<FakeRemote> {
  const requests: FakeRequest[] = [];
  let base = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const entry: FakeRequest = { method: req.method ?? "GET", path: req.url ?? "/", authorization: req.headers.authorization, body };
      requests.push(entry);
      for (const route of routes) if (route(entry, res, base)) return;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** `Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** JSON answer helper. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

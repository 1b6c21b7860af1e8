// Offline stand-ins for the fixed internet hosts Harbor's docker-hub and github-ghcr adapters contact, so that
// `npx harbor-sim` can create the README's endpoints without the internet. One local HTTP server per origin; the
// simulator routes the origin there through the same override mechanism as `remoteOverrides`.
import * as http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";
import { readBody } from "./read-body";

/** The origins the stand-ins answer for, as Harbor's adapters contact them (semantics.md, adapters.md). */
export const STAND_IN_ORIGINS = [
  "https://hub.docker.com",
  "https://registry-1.docker.io",
  "https://auth.docker.io",
  "https://ghcr.io",
] as const;

/** Running stand-ins: origin → local URL, and a close function. */
export interface StandIns {
  /** Origin Harbor contacts → `http://127.0.0.1:<port>` of its stand-in. */
  origins: Record<string, string>;
  /** Stops every stand-in server. */
  close(): Promise<void>;
}

type Answer = { status: number; headers?: Record<string, string>; json?: unknown };

function basicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const unauthorized = (headers: Record<string, string> = {}): Answer => ({
  status: 401,
  headers,
  json: { errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail: null }] },
});

/**
 * The stand-ins cannot know real Docker Hub or GitHub accounts: they accept any non-empty user name with a non-empty
 * password (an empty one is refused as the real hosts refuse it) and hand out tokens that their own `/v2/` accepts.
 */
function handlers(tokens: Set<string>): Record<string, (req: http.IncomingMessage, url: URL, body: string) => Answer> {
  const issue = (): string => {
    const t = randomBytes(24).toString("base64url");
    tokens.add(t);
    return t;
  };
  const bearerOk = (req: http.IncomingMessage): boolean => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    return m !== null && tokens.has(m[1]!);
  };
  // A token endpoint: anonymous requests get a pull token (public images), basic auth needs both parts non-empty.
  const tokenEndpoint = (req: http.IncomingMessage): Answer => {
    if (req.method !== "GET") return { status: 405 };
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const cred = basicCredentials(auth);
      if (!cred || cred.user === "" || cred.password === "") return unauthorized();
    }
    const token = issue();
    return { status: 200, json: { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() } };
  };
  // A registry's /v2/: 401 with a Bearer challenge to its token realm unless a token of ours comes along.
  const v2 = (realm: string, service: string, scope?: string) => (req: http.IncomingMessage, url: URL): Answer => {
    if (url.pathname !== "/v2/" && url.pathname !== "/v2") return { status: 404, json: { errors: [{ code: "NOT_FOUND", message: "not found" }] } };
    const distribution = { "Docker-Distribution-API-Version": "registry/2.0" };
    if (bearerOk(req)) return { status: 200, headers: distribution, json: {} };
    const challenge = `Bearer realm="${realm}",service="${service}"${scope ? `,scope="${scope}"` : ""}`;
    return unauthorized({ ...distribution, "WWW-Authenticate": challenge });
  };
  return {
    // Docker Hub's login API: POST /v2/auth/token {identifier, secret} → {access_token}.
    "https://hub.docker.com": (req, url, body) => {
      if (url.pathname !== "/v2/auth/token" || req.method !== "POST") return { status: 404, json: { message: "not found" } };
      let parsed: { identifier?: unknown; secret?: unknown };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return { status: 400, json: { message: "invalid JSON body" } };
      }
      if (typeof parsed.identifier !== "string" || parsed.identifier === "" || typeof parsed.secret !== "string" || parsed.secret === "") {
        return { status: 401, json: { errors: [{ code: "UNAUTHORIZED", message: "incorrect username or password" }] } };
      }
      return { status: 200, json: { access_token: issue() } };
    },
    "https://registry-1.docker.io": v2("https://auth.docker.io/token", "registry.docker.io"),
    "https://auth.docker.io": (req, url) =>
      url.pathname === "/token" ? tokenEndpoint(req) : { status: 404, json: { message: "not found" } },
    "https://ghcr.io": (req, url) =>
      url.pathname === "/token" ? tokenEndpoint(req) : v2("https://ghcr.io/token", "ghcr.io", "repository:user/image:pull")(req, url),
  };
}

/** Starts one local server per stand-in origin on `host` (free ports). */
export async function startStandIns(host = "127.0.0.1"): Promise<StandIns> {
  const tokens = new Set<string>();
  const table = handlers(tokens);
  const servers: { server: http.Server; sockets: Set<Socket> }[] = [];
  const origins: Record<string, string> = {};
  try {
    for (const origin of STAND_IN_ORIGINS) {
      const handle = table[origin]!;
      const sockets = new Set<Socket>();
      const server = http.createServer((req, res) => {
        void readBody(req).then(
          (body) => {
            const a = handle(req, new URL(req.url ?? "/", origin), body);
            const headers: Record<string, string> = { ...(a.headers ?? {}) };
            if (a.json !== undefined) headers["Content-Type"] = "application/json";
            res.writeHead(a.status, headers).end(a.json === undefined ? undefined : JSON.stringify(a.json));
          },
          () => res.destroy(),
        );
      });
      server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      servers.push({ server, sockets });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
      });
      const a = server.address() as AddressInfo;
      origins[origin] = `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
    }
  } catch (e) {
    await closeAll(servers);
    throw e;
  }
  return { origins, close: () => closeAll(servers) };
}

async function closeAll(servers: { server: http.Server; sockets: Set<Socket> }[]): Promise<void> {
  await Promise.all(
    servers.map(
      ({ server, sockets }) =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          if (!server.listening) return resolve();
          server.close(() => resolve());
        }),
    ),
  );
}

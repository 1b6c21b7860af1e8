// Test support: a small reverse proxy in front of the simulator that misbehaves as real gateways do (a 502/504 after
// forwarding, a 200 HTML or truncated-JSON page instead of Harbor's answer). Everything else passes through verbatim.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the proxy does with a matching request. */
export type ProxyAction =
  /** Forward to Harbor, wait for its full answer, discard it and answer `status` with a gateway's HTML page. */
  | { kind: "gateway-after-apply"; status: 502 | 504 }
  /** Answer `status` with a gateway's HTML page without forwarding. */
  | { kind: "gateway"; status: 502 | 503 | 504 }
  /** Answer 200 text/html (a login or maintenance page) without forwarding. */
  | { kind: "html-200" }
  /** Answer 200 application/json with a truncated body without forwarding. */
  | { kind: "malformed-json-200" };

/** One rule; the first matching rule with uses left applies. */
export interface ProxyRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Tested against the request path without the query. */
  path: RegExp;
  /** How many requests it applies to (default 1). */
  times?: number;
  action: ProxyAction;
}

/** A running proxy. */
export interface FaultProxy {
  /** Base URL to use as harbor:url. */
  readonly url: string;
  /** Adds a rule. */
  add(rule: ProxyRule): void;
  /** Removes every rule. */
  clear(): void;
  /** Requests seen, oldest first, and what became of them. */
  readonly log: { method: string; path: string; action: string }[];
  close(): Promise<void>;
}

const GATEWAY_PAGE = (status: number) =>
  `<html><head><title>${status}</title></head><body><center><h1>${status} ${http.STATUS_CODES[status]}</h1></center><hr><center>nginx</center></body></html>\n`;

/** Starts a proxy on 127.0.0.1 in front of `target` (an origin such as the simulator's URL). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: { rule: ProxyRule; left: number }[] = [];
  const log: FaultProxy["log"] = [];
  const sockets = new Set<Socket>();

  const take = (method: string, path: string): ProxyAction | undefined => {
    const hit = rules.find((r) => r.left > 0 && (r.rule.method === undefined || r.rule.method === method) && r.rule.path.test(path));
    if (!hit) return undefined;
    hit.left -= 1;
    return hit.rule.action;
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const method = req.method ?? "GET";
        const path = new URL(req.url ?? "/", "http://proxy.invalid").pathname;
        const action = take(method, path);
        log.push({ method, path, action: action?.kind ?? "forward" });
        const page = (status: number, type: string, text: string) => {
          res.writeHead(status, { "content-type": type, "x-request-id": `proxy-${log.length}` });
          res.end(text);
        };
        try {
          if (action?.kind === "gateway") return page(action.status, "text/html", GATEWAY_PAGE(action.status));
          if (action?.kind === "html-200") return page(200, "text/html; charset=utf-8", "<html><body><h1>Please log in</h1></body></html>\n");
          if (action?.kind === "malformed-json-200") return page(200, "application/json", '{"id": 1, "name": "trunc');
          const answer = await forward(req, Buffer.concat(chunks));
          if (action?.kind === "gateway-after-apply") return page(action.status, "text/html", GATEWAY_PAGE(action.status));
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        } catch {
          // Harbor dropped the connection: so does the proxy.
          req.socket.destroy();
        }
      })();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    add: (rule) => rules.push({ rule, left: rule.times ?? 1 }),
    clear: () => {
      rules.length = 0;
    },
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// The simulator's HTTP server: routing (404/405), X-Request-Id, read-only mode, faults, error envelopes, request log.
import * as http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";
import { resolveCaller } from "./auth";
import { DEFAULT_ADAPTER_WHITELIST, DEFAULT_PROXY_CACHE_TYPES } from "./adapters";
import { FaultQueue } from "./faults";
import { TokenBucket } from "./rate-limit";
import type { Handler, HandlerContext, SimState } from "./handler-context";
import * as misc from "./misc-handlers";
import * as projects from "./projects";
import * as reg from "./registry-handlers";
import * as v2 from "./registry-v2";
import * as users from "./users";
import * as policies from "./replication-policies";
import { HarborSimError, codeForStatus, errorResponse, type SimResponse } from "./responses";
import { SimStore } from "./store";
import { readBody } from "./read-body";
import { startStandIns, type StandIns } from "./stand-ins";
import { defaultPolicy } from "./replication-policies";
import type {
  HarborSimulator, HarborSimulatorOptions, SimulatorFault, SimulatorRequest, SimulatorStats, SimulatorUser, StoredPolicy, StoredProject,
  StoredRegistry,
} from "./types";

interface Route {
  pattern: RegExp;
  /** Names of the capture groups, in order. */
  params: string[];
  methods: Record<string, { operationId: string; handler: Handler }>;
}

const API = "/api/v2.0";

function route(path: string, methods: Route["methods"]): Route {
  const params: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    params.push(name);
    return "([^/]+)";
  });
  return { pattern: new RegExp(`^${source}$`), params, methods };
}

/** Harbor's routes the simulator serves; order matters (`/registries/ping` before `/registries/{id}`). */
const ROUTES: Route[] = [
  route(`${API}/ping`, { GET: { operationId: "getPing", handler: misc.getPing } }),
  route(`${API}/systeminfo`, { GET: { operationId: "getSystemInfo", handler: misc.getSystemInfo } }),
  route(`${API}/users/current/permissions`, { GET: { operationId: "getCurrentUserPermissions", handler: users.getCurrentUserPermissions } }),
  route(`${API}/registries`, {
    GET: { operationId: "listRegistries", handler: reg.listRegistries },
    POST: { operationId: "createRegistry", handler: reg.createRegistry },
  }),
  route(`${API}/registries/ping`, { POST: { operationId: "pingRegistry", handler: reg.pingRegistry } }),
  route(`${API}/registries/{id}`, {
    GET: { operationId: "getRegistry", handler: reg.getRegistry },
    PUT: { operationId: "updateRegistry", handler: reg.updateRegistry },
    DELETE: { operationId: "deleteRegistry", handler: reg.deleteRegistry },
  }),
  route(`${API}/registries/{id}/info`, { GET: { operationId: "getRegistryInfo", handler: reg.getRegistryInfo } }),
  route(`${API}/replication/adapters`, { GET: { operationId: "listRegistryProviderTypes", handler: reg.listRegistryProviderTypes } }),
  route(`${API}/replication/adapterinfos`, { GET: { operationId: "listRegistryProviderInfos", handler: reg.listRegistryProviderInfos } }),
  route(`${API}/replication/policies`, {
    GET: { operationId: "listReplicationPolicies", handler: policies.listReplicationPolicies },
    POST: { operationId: "createReplicationPolicy", handler: policies.createReplicationPolicy },
  }),
  route(`${API}/replication/policies/{id}`, {
    GET: { operationId: "getReplicationPolicy", handler: policies.getReplicationPolicy },
    PUT: { operationId: "updateReplicationPolicy", handler: policies.updateReplicationPolicy },
    DELETE: { operationId: "deleteReplicationPolicy", handler: policies.deleteReplicationPolicy },
  }),
  route(`${API}/projects`, {
    GET: { operationId: "listProjects", handler: projects.listProjects },
    POST: { operationId: "createProject", handler: projects.createProject },
  }),
  route(`${API}/projects/{project}`, {
    GET: { operationId: "getProject", handler: projects.getProject },
    PUT: { operationId: "updateProject", handler: projects.updateProject },
    DELETE: { operationId: "deleteProject", handler: projects.deleteProject },
  }),
  route(`/api/version`, { GET: { operationId: "x-getApiVersion", handler: misc.getApiVersion } }),
  route(`/v2/`, { GET: { operationId: "x-pingV2", handler: v2.pingV2Base } }),
  route(`/v2`, { GET: { operationId: "x-pingV2", handler: v2.pingV2Base } }),
  route(`/service/token`, { GET: { operationId: "x-getServiceToken", handler: v2.getServiceToken } }),
];

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/** Process-wide observers: every simulator in this process reports its responses to them (used by the test suite). */
const globalObservers = new Set<NonNullable<HarborSimulatorOptions["onResponse"]>>();

/**
 * Registers an observer called for every response of every simulator started in this process; returns an unregister
 * function. Tests use it to validate all bodies against swagger.yaml without changing how simulators are started.
 */
export function observeAllSimulators(observer: NonNullable<HarborSimulatorOptions["onResponse"]>): () => void {
  globalObservers.add(observer);
  return () => globalObservers.delete(observer);
}

/** Go's json.Marshal escapes <, > and & in Harbor's error bodies. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts a simulator listening on `host:port` (default 127.0.0.1:0). */
export async function startHarborSimulator(opts: HarborSimulatorOptions = {}): Promise<HarborSimulator> {
  const host = opts.host ?? "127.0.0.1";
  const password = opts.adminPassword ?? "Harbor12345";
  const version = opts.harborVersion ?? "v2.15.2";
  const users: SimulatorUser[] = [{ username: "admin", password, sysadmin: true }, ...(opts.users ?? [])];
  const store = new SimStore();
  const faults = new FaultQueue();
  const requests: SimulatorRequest[] = [];
  const sockets = new Set<Socket>();
  const bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit) : undefined;
  const stats: SimulatorStats = { maxConcurrentRequests: 0, rateLimited: 0 };
  let inFlight = 0;
  const userOverrides = opts.remoteOverrides ?? {};
  const standIns: StandIns | undefined = opts.standIns ? await startStandIns() : undefined;
  // A remoteOverrides entry wins over the stand-in of the same origin.
  const overridden = new Set(Object.keys(userOverrides).map((k) => (URL.canParse(k) ? new URL(k).origin : k)));
  const overrides: Record<string, string> = {};
  for (const [origin, url] of Object.entries(standIns?.origins ?? {})) if (!overridden.has(origin)) overrides[origin] = url;
  Object.assign(overrides, userOverrides);
  const state: SimState = {
    store,
    health: { overrides, timeoutMs: opts.healthCheckTimeoutMs ?? 10_000 },
    withCa: !/^v?2\.(1[0-4]|[0-9])\./.test(version) && !/^v?1\./.test(version),
    head: /^v?2\.(1[6-9]|[2-9]\d)\./.test(version),
    harborVersion: version,
    adapterWhitelist: opts.adapterWhitelist ?? DEFAULT_ADAPTER_WHITELIST,
    proxyCacheTypes: opts.proxyCacheTypes ?? DEFAULT_PROXY_CACHE_TYPES,
    readOnly: opts.readOnly ?? false,
    baseUrl: "",
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    stats.maxConcurrentRequests = Math.max(stats.maxConcurrentRequests, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on("close", done);
    void handle(req, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const path = url.pathname;
    const headerId = req.headers["x-request-id"];
    const requestId = typeof headerId === "string" && headerId !== "" ? headerId : randomUUID();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    // The log keeps only the auth scheme: credentials never leave the request that carried them.
    if (headers.authorization) headers.authorization = `${headers.authorization.split(" ")[0]} [REDACTED]`;
    const logEntry: SimulatorRequest = { method, path, query: url.search.replace(/^\?/, ""), status: 0, requestId, headers };
    requests.push(logEntry);
    let text = "";
    try {
      text = await readBody(req);
    } catch {
      return;
    }
    if (text !== "") {
      try {
        logEntry.body = JSON.parse(text);
      } catch {
        logEntry.body = text;
      }
    }

    // Routing: trailing slashes are tolerated except on the registry's own /v2/.
    const routePath = path.length > 1 && path !== "/v2/" ? path.replace(/\/+$/, "") : path;
    let matched: { route: Route; match: RegExpExecArray } | undefined;
    for (const r of ROUTES) {
      const m = r.pattern.exec(routePath);
      if (m) {
        matched = { route: r, match: m };
        break;
      }
    }
    const op = matched?.route.methods[method];
    const operationId = op?.operationId ?? (matched ? "x-methodNotAllowed" : "x-notFound");

    // The limit sits in front of Harbor: a refused request is neither handled nor logged by Harbor's handlers.
    const admitted = bucket?.take();
    if (admitted && !admitted.ok) {
      stats.rateLimited++;
      logEntry.status = 429;
      res.writeHead(429, { "Content-Type": "application/json; charset=utf-8", "Retry-After": String(admitted.retryAfterSeconds), "X-Request-Id": requestId });
      res.end(`${goJson({ errors: [{ code: "TOO_MANY_REQUEST", message: "too many requests" }] })}\n`);
      return;
    }

    const fault = faults.take(method, path, `${path}${url.search}`);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.dropConnection === "before") {
      req.socket.destroy();
      return;
    }

    let response: SimResponse;
    if (fault?.status !== undefined) {
      const code = codeForStatus(fault.status);
      response = fault.status >= 400
        ? { status: fault.status, headers: {}, json: { errors: [{ code, message: `injected fault ${fault.status}` }] } }
        : { status: fault.status, headers: {} };
      if (fault.status >= 500) response = { ...errorResponse(fault.status, "UNKNOWN", ""), headers: {} };
    } else if (!matched) {
      response = errorResponse(404, "NOT_FOUND", `path ${path} was not found`);
    } else if (!op) {
      const allowed = Object.keys(matched.route.methods);
      response = errorResponse(405, "METHOD_NOT_ALLOWED", `method ${method} is not allowed, but [${allowed.join(",")}] are`);
      response.headers.Allow = allowed.join(",");
    } else if (state.readOnly && WRITE_METHODS.has(method) && path.startsWith("/api/")) {
      response = errorResponse(403, "DENIED", "The system is in read only mode. Any modification is prohibited.");
    } else {
      const params: Record<string, string> = {};
      matched.route.params.forEach((name, i) => {
        params[name] = decodeURIComponent(matched!.match[i + 1]!);
      });
      const ctx: HandlerContext = {
        method, path, query: url.searchParams, params, headers: req.headers,
        body: { contentType: req.headers["content-type"], text },
        caller: resolveCaller(req.headers, users), sim: state,
      };
      try {
        response = await op.handler(ctx);
      } catch (e) {
        response = e instanceof HarborSimError ? errorResponse(e.status, e.code, e.message) : errorResponse(500, "UNKNOWN", "");
      }
    }
    if (fault?.headers) response.headers = { ...response.headers, ...fault.headers };
    if (fault?.dropConnection === "afterApply") {
      req.socket.destroy();
      return;
    }

    let payload: string | undefined;
    let contentType: string | undefined = response.headers["Content-Type"];
    if (response.json !== undefined) {
      const isError = response.status >= 400;
      payload = `${isError ? goJson(response.json) : JSON.stringify(response.json)}\n`;
      contentType = isError ? "application/json; charset=utf-8" : "application/json";
    } else if (response.text !== undefined) {
      payload = response.text;
      contentType = contentType ?? "text/plain";
    }
    const outHeaders: Record<string, string> = { ...response.headers, "X-Request-Id": requestId };
    if (contentType) outHeaders["Content-Type"] = contentType;
    logEntry.status = response.status;
    res.writeHead(response.status, outHeaders);
    res.end(payload);

    const info = {
      method, path, route: operationId, status: response.status, contentType,
      body: response.json !== undefined ? JSON.parse(JSON.stringify(response.json)) : response.text,
    };
    for (const observer of [opts.onResponse, ...globalObservers]) {
      try {
        observer?.(info);
      } catch {
        // An observer must never break the simulated Harbor.
      }
    }
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    await standIns?.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  state.baseUrl = `http://${urlHost}:${address.port}`;

  const sim: HarborSimulator = {
    url: state.baseUrl,
    username: "admin",
    password,
    requests,
    standIns: { ...(standIns?.origins ?? {}) },
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      await standIns?.close();
    },
    inject: (fault: SimulatorFault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      requests.length = 0;
    },
    storedRegistry: (id: number): StoredRegistry | undefined => {
      const r = store.registries.get(id);
      return r ? { ...r } : undefined;
    },
    storedRegistries: () => [...store.registries.values()].map((r) => ({ ...r })),
    addReplicationPolicy: (p) => store.insertPolicy(defaultPolicy(p)),
    storedReplicationPolicy: (id: number): StoredPolicy | undefined => {
      const p = store.policies.get(id);
      return p ? structuredClone(p) : undefined;
    },
    addProject: (p) => {
      const now = new Date();
      return store.insertProject({
        name: p.name, registryId: p.registryId, metadata: { public: "false" }, cveAllowlist: { items: [], updateTime: now },
        storageLimit: -1, ownerName: "admin", deleted: false, creationTime: now, updateTime: now,
      });
    },
    storedProject: (id: number): StoredProject | undefined => {
      const p = store.projects.get(id);
      return p ? structuredClone(p) : undefined;
    },
    setReadOnly: (readOnly: boolean) => {
      state.readOnly = readOnly;
    },
    stats: () => ({ ...stats }),
  };
  return sim;
}

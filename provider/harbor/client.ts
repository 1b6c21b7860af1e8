// Harbor registry-endpoint API client: one method per Harbor operation, typed with the wire models, never Pulumi.
import { z } from "zod";
import { registryWriteHint } from "./adapter-hints";
import {
  HarborPermission,
  HarborPermissionsSchema,
  HarborProject,
  HarborProjectSchema,
  HarborRegistry,
  HarborRegistryCreate,
  HarborRegistryCreateSchema,
  HarborRegistryInfo,
  HarborRegistryInfoSchema,
  HarborRegistryPing,
  HarborRegistryPingSchema,
  HarborRegistryProviderInfos,
  HarborRegistryProviderInfosSchema,
  HarborRegistryProviderTypesSchema,
  HarborRegistrySchema,
  HarborRegistryUpdate,
  HarborRegistryUpdateSchema,
  HarborReplicationPolicy,
  HarborReplicationPolicySchema,
  HarborSystemInfo,
  HarborSystemInfoSchema,
} from "./models";
import { isHarborApiError } from "../errors";
import { HarborClock, defaultRetryPolicy, systemClock } from "./retry";
import { HarborRequest, HarborResponse, HarborTransport } from "./transport";

const ClockSchema = z.custom<HarborClock>(
  (v) => typeof v === "object" && v !== null && typeof (v as HarborClock).now === "function" && typeof (v as HarborClock).sleep === "function",
  { message: "expected an object with now() and sleep(ms)" },
);

/** Settings of {@link HarborClient}, validated when the client is constructed. */
export const HarborClientOptionsSchema = z.object({
  /** Harbor base URL, e.g. `https://harbor.example.com`; `/api/v2.0` is appended unless already there. */
  url: z.string().min(1),
  /** Harbor user or robot account (`robot$name`, `robot$project+name`). */
  username: z.string(),
  /** Password or robot secret. */
  password: z.string(),
  /** Skip TLS verification of Harbor. Default `false`. */
  insecure: z.boolean().default(false),
  /** PEM CA bundle trusted (in addition to the system roots) for Harbor's certificate. */
  caCertificate: z.string().optional(),
  /** Allow plain `http://` to a Harbor that is not on this machine. Default `false`: credentials would travel unencrypted. */
  allowHttp: z.boolean().default(false),
  /** Per-attempt timeout in milliseconds, covering headers and body. Default 30000. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Retry policy for idempotent requests (GET/PUT/DELETE/HEAD); POST is never retried. */
  retry: z
    .object({
      /** Retries after the first attempt. Default 4. */
      retries: z.number().int().min(0).default(defaultRetryPolicy.retries),
      /** First backoff ceiling in ms. Default 250. */
      baseDelayMs: z.number().min(0).default(defaultRetryPolicy.baseDelayMs),
      /** Largest backoff ceiling in ms. Default 8000; `Retry-After` is honoured up to 4× this. */
      maxDelayMs: z.number().min(0).default(defaultRetryPolicy.maxDelayMs),
    })
    .prefault({}),
  /** Size of the connection pool. Default 8. */
  connections: z.number().int().positive().default(8),
  /** Time source for retry waits (tests pass a fake clock). */
  clock: ClockSchema.optional(),
  /** Uniform random source in [0,1) for backoff jitter (tests pass a fixed one). */
  random: z.custom<() => number>((v) => typeof v === "function").optional(),
});

/** Constructor options of {@link HarborClient}. */
export type HarborClientOptions = z.input<typeof HarborClientOptionsSchema>;

/** Options of list operations. */
export interface HarborListOptions {
  /** Harbor `q` filter, e.g. `name=~hub` (sent percent-encoded). */
  q?: string;
  /** Harbor `sort`, e.g. `name` or `-creation_time`. */
  sort?: string;
  /** Items per page, 1..100. Default 100. */
  pageSize?: number;
}

/** What still uses a registry endpoint (the reasons behind a 412 on delete). */
export interface HarborRegistryReferences {
  /** Replication policies whose source or destination is the registry. */
  policies: { id: number; name: string }[];
  /** Proxy-cache projects whose `registry_id` is the registry. */
  projects: { id: number; name: string }[];
}

const MAX_PAGE_SIZE = 100;
// A guard against a server whose paging never ends; 10 000 pages of 100 is far beyond any Harbor.
const MAX_PAGES = 10_000;

/**
 * The `q` that finds registries named exactly `name` under Harbor's q parser (src/lib/q/builder.go), which URL-unescapes
 * the whole value a second time (so `%` and `+` are escaped once more here), splits it on every ",", and reads a leading
 * "~", "[", "{" or "(" as an operator unless a backslash precedes it (escapeValue). A name with a "," cannot be written as
 * one exact item, so its longest run without "," (and without a backslash, LIKE's escape character) is searched fuzzily
 * (ILIKE, case-insensitive: a superset); the caller keeps only the exact, case-sensitive match either way. Undefined
 * when no usable run exists (every registry is then listed).
 */
export function exactNameQuery(name: string): string | undefined {
  const harborUnescaped = (v: string) => v.replace(/%/g, "%25").replace(/\+/g, "%2B");
  if (!name.includes(",")) return `name=${harborUnescaped(/^[~[{(\\]/.test(name) ? `\\${name}` : name)}`;
  const run = name.split(/[,\\]/).reduce((a, b) => (b.length > a.length ? b : a), "");
  return run === "" ? undefined : `name=~${harborUnescaped(run)}`;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the `page` and `page_size` of the `rel="next"` entry of a `Link` header (Harbor joins entries with " , "). */
export function parseNextPageLink(link: string | undefined): { page: number; pageSize?: number } | undefined {
  if (!link) return undefined;
  const entry = /<([^>]*)>([^<]*)/g;
  for (let m = entry.exec(link); m !== null; m = entry.exec(link)) {
    const rel = /\brel\s*=\s*"?([^";]*)"?/i.exec(m[2] ?? "");
    if (!rel || !(rel[1] ?? "").split(/\s+/).includes("next")) continue;
    const target = m[1] ?? "";
    const page = /[?&]page=(\d+)/.exec(target);
    if (!page) return undefined;
    const size = /[?&]page_size=(\d+)/.exec(target);
    return { page: Number(page[1]), pageSize: size ? Number(size[1]) : undefined };
  }
  return undefined;
}

function checkId(operation: string, id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`${operation}: registry id must be a non-negative integer.`);
}

function parseArgument<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Never the value: it may be an access secret.
    throw new TypeError(`${operation}: invalid argument at ${issue?.path.map(String).join(".") || "(root)"}: ${issue?.message ?? "invalid"}.`);
  }
  return parsed.data;
}

/** A client for Harbor's registry-endpoint API (`/api/v2.0`), with pooled connections, retries and typed errors. */
export class HarborClient {
  private readonly transport: HarborTransport;

  /**
   * Validates `options`; throws `TypeError` for invalid ones, and for plain `http://` to a Harbor that is not on this
   * machine unless `allowHttp` is set. No connection is opened until the first call; redirects are never followed.
   */
  constructor(options: HarborClientOptions) {
    const o = parseArgument("HarborClient", HarborClientOptionsSchema, options);
    this.transport = new HarborTransport({
      url: o.url,
      username: o.username,
      password: o.password,
      insecure: o.insecure,
      caCertificate: o.caCertificate,
      allowHttp: o.allowHttp,
      timeoutMs: o.timeoutMs,
      retry: o.retry,
      connections: o.connections,
      clock: o.clock ?? systemClock,
      random: o.random,
    });
  }

  /** The API base URL the client talks to, e.g. `https://harbor.example.com/api/v2.0`. */
  get apiBaseUrl(): string {
    return `${this.transport.origin}${this.transport.basePath}`;
  }

  /**
   * `POST /registries`, retried only after a 429 (a refusal); resolves with the new id read from the `Location`
   * header. Any other failure may have been applied: the caller reconciles by name, never by posting again.
   */
  async createRegistry(body: HarborRegistryCreate): Promise<number> {
    const payload = parseArgument("createRegistry", HarborRegistryCreateSchema, body);
    const request: HarborRequest = {
      operation: "createRegistry",
      method: "POST",
      path: "/registries",
      body: payload,
      secrets: secretsOf(payload.credential?.access_secret),
      hint: registryWriteHint(payload.type),
      // Retried only after 429, which proves Harbor never processed it; see HarborRetryClass.
      retry: "refusals",
      answer: { body: "empty", status: 201 },
    };
    const response = await this.transport.send(request);
    const location = header(response.headers, "location");
    if (!location) throw this.transport.headerShapeError(request, response, "Location header", "it is missing");
    let pathname: string;
    try {
      pathname = new URL(location, `${this.transport.origin}/`).pathname;
    } catch {
      throw this.transport.headerShapeError(request, response, "Location header", "it is not a URL");
    }
    const match = /\/registries\/(\d+)\/?$/.exec(pathname);
    const id = match ? Number(match[1]) : NaN;
    if (!Number.isSafeInteger(id)) {
      throw this.transport.headerShapeError(request, response, "Location header", "it does not end with /registries/<id>");
    }
    return id;
  }

  /** `GET /registries/{id}`; a missing registry is a `HarborApiError` with `status === 404`. */
  async getRegistry(id: number): Promise<HarborRegistry> {
    checkId("getRegistry", id);
    const { data } = await this.transport.sendJson({ operation: "getRegistry", method: "GET", path: `/registries/${id}` }, HarborRegistrySchema);
    return data;
  }

  /** `GET /registries`, following every page (`Link` rel="next", else `X-Total-Count`). */
  async listRegistries(opts: HarborListOptions = {}): Promise<HarborRegistry[]> {
    return this.listAll("listRegistries", "/registries", { q: opts.q, sort: opts.sort }, opts.pageSize, HarborRegistrySchema);
  }

  /**
   * Every registry Harbor holds, or `undefined` when it holds more than `limit` (or does not say how many). The first
   * page (`sort=id`, 100 per page) carries `X-Total-Count`; the other pages are then requested together, bounded by the
   * connection pool, so `ceil(total / 100)` pages cost about `1 + ceil((pages - 1) / connections)` round trips.
   * Sorted by id, a registry created meanwhile lands after the pages already cut, and one deleted meanwhile can only
   * make another slip between pages: the result may miss a registry, never invent one (the caller asks by id then).
   */
  async listRegistriesUpTo(limit: number): Promise<HarborRegistry[] | undefined> {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError("listRegistriesUpTo: limit must be a non-negative integer.");
    const pageSchema = z.array(HarborRegistrySchema);
    const page = async (n: number) => {
      const request: HarborRequest = { operation: "listRegistries", method: "GET", path: "/registries", query: { sort: "id", page: n, page_size: MAX_PAGE_SIZE } };
      const response = await this.transport.send(request);
      const total = header(response.headers, "x-total-count")?.trim() ?? "";
      return { data: this.transport.parseBody(request, response, pageSchema) as HarborRegistry[], total: /^\d+$/.test(total) ? Number(total) : NaN };
    };
    const first = await page(1);
    if (!Number.isSafeInteger(first.total) || first.total < 0 || first.total > limit) return undefined;
    const pages = Math.ceil(first.total / MAX_PAGE_SIZE);
    const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => page(i + 2)));
    return [first, ...rest].flatMap((p) => p.data);
  }

  /**
   * The registry named exactly `name` (case-sensitive), or `undefined`. Asks Harbor for `q=name=<name>` (see
   * {@link exactNameQuery}) and follows every page of the answer.
   */
  async findRegistryByName(name: string): Promise<HarborRegistry | undefined> {
    if (typeof name !== "string" || name === "") return undefined;
    // Older Harbors match `name=` loosely and names with "," are searched fuzzily, so the exact comparison decides.
    const candidates = await this.listRegistries({ q: exactNameQuery(name) });
    return candidates.find((r) => r.name === name);
  }

  /** `PUT /registries/{id}` with Harbor's flat `RegistryUpdate` body; absent fields stay unchanged. */
  async updateRegistry(id: number, body: HarborRegistryUpdate): Promise<void> {
    checkId("updateRegistry", id);
    const payload = parseArgument("updateRegistry", HarborRegistryUpdateSchema, body);
    await this.transport.send({
      operation: "updateRegistry",
      method: "PUT",
      path: `/registries/${id}`,
      body: payload,
      secrets: secretsOf(payload.access_secret),
      hint: registryWriteHint(undefined),
    });
  }

  /** `DELETE /registries/{id}`; 404 and 412 surface as `HarborApiError` (see {@link findRegistryReferences}). */
  async deleteRegistry(id: number): Promise<void> {
    checkId("deleteRegistry", id);
    await this.transport.send({ operation: "deleteRegistry", method: "DELETE", path: `/registries/${id}` });
  }

  /**
   * `POST /registries/ping`; resolves when healthy, else `HarborApiError` 400 "the registry is unhealthy". Harbor
   * never writes anything for it, so it is retried after 429, 503 and dropped connections.
   */
  async pingRegistry(body: HarborRegistryPing): Promise<void> {
    const payload = parseArgument("pingRegistry", HarborRegistryPingSchema, body);
    await this.transport.send({
      operation: "pingRegistry",
      method: "POST",
      path: "/registries/ping",
      body: payload,
      secrets: secretsOf(payload.access_secret),
      hint: registryWriteHint(payload.type),
      retry: "no-side-effects",
    });
  }

  /** `GET /registries/{id}/info`: supported triggers and filters of the registry's adapter. */
  async getRegistryInfo(id: number): Promise<HarborRegistryInfo> {
    checkId("getRegistryInfo", id);
    const { data } = await this.transport.sendJson(
      { operation: "getRegistryInfo", method: "GET", path: `/registries/${id}/info` },
      HarborRegistryInfoSchema,
    );
    return data;
  }

  /** `GET /replication/adapters`: the registry types this Harbor accepts. */
  async listRegistryProviderTypes(): Promise<string[]> {
    const { data } = await this.transport.sendJson(
      { operation: "listRegistryProviderTypes", method: "GET", path: "/replication/adapters" },
      HarborRegistryProviderTypesSchema,
    );
    return data;
  }

  /** `GET /replication/adapterinfos`: endpoint and credential patterns per registry type. */
  async listRegistryProviderInfos(): Promise<HarborRegistryProviderInfos> {
    const { data } = await this.transport.sendJson(
      { operation: "listRegistryProviderInfos", method: "GET", path: "/replication/adapterinfos" },
      HarborRegistryProviderInfosSchema,
    );
    return data;
  }

  /** `GET /systeminfo`; `harbor_version` is present only when the credentials are valid. */
  async getSystemInfo(): Promise<HarborSystemInfo> {
    const { data } = await this.transport.sendJson({ operation: "getSystemInfo", method: "GET", path: "/systeminfo" }, HarborSystemInfoSchema);
    return data;
  }

  /**
   * `GET /users/current/permissions?scope=…` (default scope `/system`, `relative=false`): what the caller may do. Any
   * authenticated caller may ask; an anonymous one (also after a wrong password) gets 401. Harbor resolves system
   * resources here only for system administrators: robot accounts and other users get `[]` whatever they may do.
   */
  async getCurrentUserPermissions(scope = "/system"): Promise<HarborPermission[]> {
    const { data } = await this.transport.sendJson(
      { operation: "getCurrentUserPermissions", method: "GET", path: "/users/current/permissions", query: { scope, relative: "false" } },
      HarborPermissionsSchema,
    );
    return data;
  }

  /**
   * Whether the caller may update registry endpoints, asked without changing anything: `PUT /registries/0` with an
   * empty body. Harbor checks the system permission `registry:update` before it looks the id up (403 FORBIDDEN without
   * it), and no registry has id 0, so a permitted caller gets 404 (Harbor ≤ 2.15 first loads id 0 as the local
   * registry, then updates no row). Resolves `"allowed"`, `"forbidden"` (403 FORBIDDEN) or `"read-only"` (403 DENIED:
   * Harbor refuses every write); any other failure (401, network, a non-Harbor answer) is thrown.
   */
  async probeRegistryUpdatePermission(): Promise<"allowed" | "forbidden" | "read-only"> {
    try {
      await this.transport.send({ operation: "updateRegistry", method: "PUT", path: "/registries/0", body: {} });
      return "allowed";
    } catch (e) {
      if (isHarborApiError(e) && e.harborEnvelope) {
        if (e.status === 403) return e.code === "DENIED" ? "read-only" : "forbidden";
        // Past the permission check: id 0 does not exist (404), or Harbor ≤ 2.15 failed later on its local registry.
        if (e.status === 404 || e.status === 400 || e.status === 412 || e.status === 500) return "allowed";
      }
      throw e;
    }
  }

  /** `GET /replication/policies`, every page. */
  async listReplicationPolicies(opts: HarborListOptions = {}): Promise<HarborReplicationPolicy[]> {
    return this.listAll("listReplicationPolicies", "/replication/policies", { q: opts.q, sort: opts.sort }, opts.pageSize, HarborReplicationPolicySchema);
  }

  /** `GET /projects`, every page. */
  async listProjects(opts: HarborListOptions = {}): Promise<HarborProject[]> {
    return this.listAll("listProjects", "/projects", { q: opts.q, sort: opts.sort }, opts.pageSize, HarborProjectSchema);
  }

  /** Replication policies (source or destination) and proxy-cache projects that use registry `id`; explains a 412 on delete. */
  async findRegistryReferences(id: number): Promise<HarborRegistryReferences> {
    checkId("findRegistryReferences", id);
    const [policies, projects] = await Promise.all([this.listReplicationPolicies(), this.listProjects()]);
    return {
      policies: policies.filter((p) => p.src_registry?.id === id || p.dest_registry?.id === id).map((p) => ({ id: p.id, name: p.name })),
      projects: projects.filter((p) => p.registry_id === id).map((p) => ({ id: p.project_id, name: p.name })),
    };
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private async listAll<T>(
    operation: string,
    path: string,
    filters: { q?: string; sort?: string },
    pageSize: number | undefined,
    itemSchema: z.ZodType<T>,
  ): Promise<T[]> {
    let size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize ?? MAX_PAGE_SIZE)));
    const pageSchema = z.array(itemSchema);
    const items: T[] = [];
    let page = 1;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const request: HarborRequest = { operation, method: "GET", path, query: { q: filters.q, sort: filters.sort, page, page_size: size } };
      const response: HarborResponse = await this.transport.send(request);
      const data = this.transport.parseBody(request, response, pageSchema) as T[];
      items.push(...data);
      const link = header(response.headers, "link");
      const next = parseNextPageLink(link);
      if (next) {
        if (next.page <= page) break;
        page = next.page;
        if (next.pageSize && next.pageSize > 0 && next.pageSize <= MAX_PAGE_SIZE) size = next.pageSize;
        continue;
      }
      // Without a usable Link, X-Total-Count still says whether rows remain.
      const total = Number(header(response.headers, "x-total-count"));
      if (!link && Number.isFinite(total) && items.length < total && data.length === size) {
        page += 1;
        continue;
      }
      break;
    }
    return items;
  }
}

function secretsOf(...values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}

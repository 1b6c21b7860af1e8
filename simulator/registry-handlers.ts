// Handlers of /registries*, /replication/adapters, /replication/adapterinfos: Harbor's check order, codes and messages.
import { requireSystemAccess } from "./auth";
import { providerInfos, providerTypes, registryInfo } from "./adapters";
import { aliAcrUrl, buildAdapter, checkRegistryHealth, type HealthTarget } from "./health";
import { registryRowError } from "./db-limits";
import { validateHttpUrl } from "./http-url";
import { filterRows, paginate, parseQuery, queryParam, sortRows, type Condition } from "./query";
import { emptyResponse, harborError, internalError, jsonResponse, validationFailure, type SimResponse } from "./responses";
import { REGISTRY_FIELDS, localRegistryJson, registryJson } from "./store";
import type { StoredRegistry } from "./types";
import {
  bindBody, bindPage, caCertificateError, parseInt64, pathIdError, registryCreateBody, registryPingBody, registryUpdateBody,
  type PageParams,
} from "./validation";
import type { HandlerContext } from "./handler-context";

/** The core URL of the synthetic local registry (id 0). */
const LOCAL_CORE_URL = "http://core:8080";

/** Binds `{id}` (422 when not an int64). */
export function bindId(ctx: HandlerContext, extra: string[] = []): number {
  const raw = ctx.params.id ?? "";
  const err = pathIdError(raw);
  if (err) throw validationFailure([...extra, err]);
  if (extra.length > 0) throw validationFailure(extra);
  return parseInt64(raw)!;
}

/** controller.validate() name and URL rules; returns the normalised URL. */
function validateNameAndUrl(name: string, url: string): string {
  if (name === "") throw harborError(400, "name cannot be empty");
  if (Buffer.byteLength(name, "utf8") > 64) throw harborError(400, "the max length of name is 64");
  const u = validateHttpUrl(url);
  if (!u.ok) throw harborError(400, u.message);
  return u.url;
}

/** IsHealthy → 500 (thrown by the checker) or 400 "the registry is unhealthy". */
async function requireHealthy(ctx: HandlerContext, t: HealthTarget): Promise<void> {
  const health = await checkRegistryHealth(t, ctx.sim.health);
  if (health !== "healthy") throw harborError(400, "the registry is unhealthy");
}

function checkCa(ctx: HandlerContext, ca: string | null | undefined): string {
  if (!ctx.sim.withCa) return "";
  const value = ca ?? "";
  const err = caCertificateError(value);
  if (err) throw harborError(400, err);
  return value;
}

/** POST /registries */
export async function createRegistry(ctx: HandlerContext): Promise<SimResponse> {
  const body = registryCreateBody.parse(bindBody(ctx.body, "registry", "Registry"));
  requireSystemAccess(ctx.caller, "registry", "create");
  const ca = checkCa(ctx, body.ca_certificate);
  const name = body.name ?? "";
  let url = validateNameAndUrl(name, body.url ?? "");
  const type = body.type ?? "";
  if (type === "ali-acr") url = aliAcrUrl(url);
  const key = body.credential?.access_key ?? "";
  const secret = body.credential?.access_secret ?? "";
  const insecure = body.insecure ?? false;
  await requireHealthy(ctx, { type, url, insecure, caCertificate: ca, hasCredential: body.credential != null, accessKey: key, accessSecret: secret });
  const now = new Date();
  // toDaoModel ignores the credential entirely when access_key is empty.
  const row = {
    name, url, type, description: body.description ?? "", insecure, caCertificate: ca,
    credentialType: key === "" ? "" : body.credential?.type || "basic",
    accessKey: key, accessSecret: key === "" ? "" : secret,
    status: "healthy", creationTime: now, updateTime: now,
  };
  // Postgres refuses the values before it looks at the unique index, so a bad row is a 500 even for a taken name.
  if (registryRowError(row, ctx.sim.head)) throw internalError();
  if (ctx.sim.store.registryByName(name)) throw harborError(409, `registry ${name} already exists`);
  const id = ctx.sim.store.insertRegistry(row);
  return emptyResponse(201, { Location: `${ctx.path.replace(/\/+$/, "")}/${id}` });
}

/**
 * What the list routes of registries and replication policies share: `page`/`page_size` (422), the access check,
 * `q`, and the deprecated `name`, a fuzzy match that replaces the keyword `Name` (the Go field name), not `name`.
 */
export function bindListQuery(ctx: HandlerContext, resource: string): { page: PageParams; conditions: Condition[] } {
  const details: string[] = [];
  const page = bindPage(ctx.query, details);
  if (details.length > 0) throw validationFailure(details);
  requireSystemAccess(ctx.caller, resource, "list");
  let conditions = parseQuery(queryParam(ctx.query, "q"));
  const name = queryParam(ctx.query, "name");
  if (name !== null) conditions = [...conditions.filter((c) => c.key !== "Name"), { key: "Name", op: "fuzzy", value: name }];
  return { page, conditions };
}

/** GET /registries */
export async function listRegistries(ctx: HandlerContext): Promise<SimResponse> {
  const { page, conditions } = bindListQuery(ctx, "registry");
  const rows = sortRows(filterRows([...ctx.sim.store.registries.values()], conditions, REGISTRY_FIELDS), queryParam(ctx.query, "sort"), REGISTRY_FIELDS);
  const { items, headers } = paginate(rows, page.page, page.pageSize, ctx.path, ctx.query);
  return jsonResponse(200, items.map((r) => registryJson(r, ctx.sim.withCa)), headers);
}

/** GET /registries/{id} */
export async function getRegistry(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "registry", "read");
  if (id === 0) return jsonResponse(200, localRegistryJson());
  const r = ctx.sim.store.registries.get(id);
  if (!r) throw harborError(404, `registry ${id} not found`);
  return jsonResponse(200, registryJson(r, ctx.sim.withCa));
}

/** PUT /registries/{id}: read-modify-write, validate() (incl. health) again, status back to healthy. */
export async function updateRegistry(ctx: HandlerContext): Promise<SimResponse> {
  const raw = ctx.params.id ?? "";
  const idErr = pathIdError(raw);
  const bodyRaw = bindBody(ctx.body, "registry", "RegistryUpdate", idErr ? [idErr] : []);
  const id = parseInt64(raw)!;
  const body = registryUpdateBody.parse(bodyRaw);
  requireSystemAccess(ctx.caller, "registry", "update");
  if (id === 0 && ctx.sim.head) throw harborError(404, "registry 0 not found");
  const stored = id === 0 ? undefined : ctx.sim.store.registries.get(id);
  if (id !== 0 && !stored) throw harborError(404, `registry ${id} not found`);
  const cur: StoredRegistry =
    stored ?? {
      id: 0, name: "Local", url: LOCAL_CORE_URL, type: "harbor", description: "", insecure: true, caCertificate: "",
      credentialType: "secret", accessKey: "", accessSecret: "", status: "healthy", creationTime: new Date(0), updateTime: new Date(0),
    };
  const next = { ...cur };
  if (body.name != null) next.name = body.name;
  if (body.description != null) next.description = body.description;
  if (body.url != null) next.url = body.url;
  if (body.insecure != null) next.insecure = body.insecure;
  if (ctx.sim.withCa && body.ca_certificate != null) next.caCertificate = checkCa(ctx, body.ca_certificate);
  if (body.credential_type != null) next.credentialType = body.credential_type;
  if (body.access_key != null) next.accessKey = body.access_key;
  if (body.access_secret != null) next.accessSecret = body.access_secret;
  if (ctx.sim.head && body.url != null && body.access_secret == null) {
    // HEAD (PR #23671): never send the stored secret to a different host.
    const u = validateHttpUrl(body.url);
    if (!u.ok) throw harborError(400, u.message);
    if (u.url !== cur.url) next.accessSecret = "";
  }
  next.url = validateNameAndUrl(next.name, next.url);
  if (next.type === "ali-acr") next.url = aliAcrUrl(next.url);
  // v2.15.2 validates the local registry (id 0) like any other, health check included; only then does the UPDATE match no row.
  // The local Harbor itself answers over the core URL inside an install, as for a ping by id 0.
  const isLocalCore = id === 0 && next.type === "harbor" && next.url === LOCAL_CORE_URL;
  if (!isLocalCore) {
    await requireHealthy(ctx, {
      type: next.type, url: next.url, insecure: next.insecure, caCertificate: next.caCertificate, hasCredential: true,
      accessKey: next.accessKey, accessSecret: next.accessSecret,
    });
  }
  if (id === 0) throw harborError(404, "registry 0 not found");
  if (next.accessKey === "") {
    next.credentialType = "";
    next.accessSecret = "";
  } else if (next.credentialType === "") next.credentialType = "basic";
  if (registryRowError(next, ctx.sim.head)) throw internalError();
  const clash = ctx.sim.store.registryByName(next.name);
  if (clash && clash.id !== id) throw harborError(409, `registry ${next.name} already exists`);
  if (!ctx.sim.store.registries.has(id)) throw harborError(404, `registry ${id} not found`);
  next.status = "healthy";
  next.updateTime = new Date();
  ctx.sim.store.registries.set(id, next);
  return emptyResponse(200);
}

/** DELETE /registries/{id}: policy references (src, dest), then proxy-cache projects, then existence. */
export async function deleteRegistry(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "registry", "delete");
  const policies = [...ctx.sim.store.policies.values()];
  if (policies.some((p) => p.srcRegistryId === id) || policies.some((p) => p.destRegistryId === id)) {
    throw harborError(412, `the registry ${id} is referenced by replication policies, cannot delete it`);
  }
  if (ctx.sim.store.activeProjects().some((p) => p.registryId === id)) {
    throw harborError(412, `the registry ${id} is referenced by proxy cache project, cannot delete it`);
  }
  if (!ctx.sim.store.registries.delete(id)) throw harborError(404, `registry ${id} not found`);
  return emptyResponse(200);
}

/** GET /registries/{id}/info */
export async function getRegistryInfo(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "registry", "read");
  if (id === 0) return jsonResponse(200, registryInfo("harbor", true));
  const r = ctx.sim.store.registries.get(id);
  if (!r) throw harborError(404, `registry ${id} not found`);
  await buildAdapter(
    { type: r.type, url: r.url, insecure: r.insecure, caCertificate: r.caCertificate, hasCredential: true, accessKey: r.accessKey, accessSecret: r.accessSecret },
    ctx.sim.health,
  );
  return jsonResponse(200, registryInfo(r.type, false));
}

/** POST /registries/ping */
export async function pingRegistry(ctx: HandlerContext): Promise<SimResponse> {
  const body = registryPingBody.parse(bindBody(ctx.body, "registry", "RegistryPing"));
  requireSystemAccess(ctx.caller, "registry", "read");
  let t: HealthTarget = { type: "", url: "", insecure: false, caCertificate: "", hasCredential: false, accessKey: "", accessSecret: "" };
  let isLocal = false;
  if (body.id != null) {
    if (body.id === 0) {
      isLocal = true;
      t = { ...t, type: "harbor", url: LOCAL_CORE_URL, insecure: true, hasCredential: true };
    } else {
      const r = ctx.sim.store.registries.get(body.id);
      if (!r) throw harborError(404, `registry ${body.id} not found`);
      t = { type: r.type, url: r.url, insecure: r.insecure, caCertificate: r.caCertificate, hasCredential: true, accessKey: r.accessKey, accessSecret: r.accessSecret };
    }
  }
  if (body.type != null) t.type = body.type;
  // PR #23463 (HEAD): with an id, url/insecure/ca overrides are ignored so a stored secret cannot be sent elsewhere.
  const endpointOverrides = body.id == null || !ctx.sim.head;
  if (endpointOverrides && body.url != null) {
    const u = validateHttpUrl(body.url);
    if (!u.ok) throw harborError(400, u.message);
    t.url = u.url;
    isLocal = isLocal && u.url === LOCAL_CORE_URL;
  }
  if (endpointOverrides && body.insecure != null) t.insecure = body.insecure;
  if (endpointOverrides && body.ca_certificate != null) t.caCertificate = checkCa(ctx, body.ca_certificate);
  if (body.credential_type != null || body.access_key != null || body.access_secret != null) t.hasCredential = true;
  if (body.access_key != null) t.accessKey = body.access_key;
  if (body.access_secret != null) t.accessSecret = body.access_secret;
  if (t.type === "" || t.url === "") throw harborError(400, "type or url cannot be empty");
  // The local Harbor is pinged with the internal secret over the core URL, which always answers inside an install.
  if (isLocal && t.type === "harbor") return emptyResponse(200);
  await requireHealthy(ctx, t);
  return emptyResponse(200);
}

/** GET /replication/adapters */
export async function listRegistryProviderTypes(ctx: HandlerContext): Promise<SimResponse> {
  requireSystemAccess(ctx.caller, "replication-adapter", "list");
  return jsonResponse(200, providerTypes(ctx.sim.adapterWhitelist));
}

/** GET /replication/adapterinfos */
export async function listRegistryProviderInfos(ctx: HandlerContext): Promise<SimResponse> {
  requireSystemAccess(ctx.caller, "replication-adapter", "list");
  return jsonResponse(200, providerInfos(ctx.sim.adapterWhitelist));
}

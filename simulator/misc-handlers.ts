// Handlers outside /registries: systeminfo, ping, /api/version, /v2/, and the replication-policy and project subsets.
import { requireAuthenticated, requireSystemAccess } from "./auth";
import { filterRows, paginate, parseQuery, queryParam, sortRows } from "./query";
import { emptyResponse, harborError, internalError, jsonResponse, validationFailure, type SimResponse } from "./responses";
import { POLICY_FIELDS, PROJECT_FIELDS, localRegistryJson, policyJson, projectJson, registryJson } from "./store";
import { bindBody, bindPage, parseInt64, policyCreateBody, projectCreateBody } from "./validation";
import { bindId } from "./registry-handlers";
import type { HandlerContext } from "./handler-context";

/** GET /api/v2.0/systeminfo: anonymous callers get the public subset. */
export async function getSystemInfo(ctx: HandlerContext): Promise<SimResponse> {
  const base: Record<string, unknown> = { auth_mode: "db_auth", banner_message: "" };
  if (ctx.caller) {
    const host = new URL(ctx.sim.baseUrl).host;
    Object.assign(base, {
      current_time: new Date().toISOString(),
      external_url: ctx.sim.baseUrl,
      harbor_version: `${ctx.sim.harborVersion}-5ad2bcbe`,
      has_ca_root: false,
      notification_enable: true,
    });
    base.oidc_provider_name = "";
    base.primary_auth_mode = false;
    base.project_creation_restriction = "everyone";
    base.read_only = ctx.sim.readOnly;
    base.registry_storage_provider_name = "filesystem";
    base.registry_url = host;
    base.self_registration = false;
    return jsonResponse(200, base);
  }
  return jsonResponse(200, { ...base, oidc_provider_name: "", primary_auth_mode: false, self_registration: false });
}

/** GET /api/v2.0/ping */
export async function getPing(): Promise<SimResponse> {
  return { status: 200, headers: { "Content-Type": "text/plain" }, text: "Pong" };
}

/** GET /api/version (unauthenticated; the harbor adapter factory probes it). */
export async function getApiVersion(): Promise<SimResponse> {
  return jsonResponse(200, { version: "v2.0" });
}

/** GET /v2/: the registry's API base; anonymous callers get a Basic challenge. */
export async function pingV2Base(ctx: HandlerContext): Promise<SimResponse> {
  const headers = { "Docker-Distribution-API-Version": "registry/2.0" };
  if (!ctx.caller) {
    return {
      status: 401,
      headers: { ...headers, "WWW-Authenticate": 'Basic realm="harbor"' },
      json: { errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail: null }] },
    };
  }
  return jsonResponse(200, {}, headers);
}

function renderRegistry(ctx: HandlerContext, id: number): Record<string, unknown> | undefined {
  if (id === 0) return localRegistryJson();
  const r = ctx.sim.store.registries.get(id);
  return r ? registryJson(r, ctx.sim.withCa) : undefined;
}

/** POST /replication/policies (the subset needed to reference registries). */
export async function createReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const body = policyCreateBody.parse(bindBody(ctx.body, "policy", "ReplicationPolicy"));
  requireSystemAccess(ctx.caller, "replication-policy", "create");
  const name = body.name ?? "";
  if (name === "") throw harborError(400, "name cannot be empty");
  const src = body.src_registry?.id ?? undefined;
  const dest = body.dest_registry?.id ?? undefined;
  for (const id of [src, dest]) {
    if (id !== undefined && id !== 0 && !ctx.sim.store.registries.has(id)) throw harborError(400, `registry ${id} not found`);
  }
  if ([...ctx.sim.store.policies.values()].some((p) => p.name === name)) throw harborError(409, `policy ${name} already exists`);
  const now = new Date();
  const id = ctx.sim.store.insertPolicy({
    name, description: body.description ?? "", srcRegistryId: src, destRegistryId: dest, destNamespace: body.dest_namespace ?? "",
    enabled: body.enabled ?? true, creationTime: now, updateTime: now,
  });
  return emptyResponse(201, { Location: `${ctx.path.replace(/\/+$/, "")}/${id}` });
}

/** GET /replication/policies */
export async function listReplicationPolicies(ctx: HandlerContext): Promise<SimResponse> {
  const details: string[] = [];
  const page = bindPage(ctx.query, details);
  if (details.length > 0) throw validationFailure(details);
  requireSystemAccess(ctx.caller, "replication-policy", "list");
  const conditions = parseQuery(queryParam(ctx.query, "q"));
  const name = queryParam(ctx.query, "name");
  if (name) conditions.push({ key: "name", op: "fuzzy", value: name });
  const rows = sortRows(filterRows([...ctx.sim.store.policies.values()], conditions, POLICY_FIELDS), queryParam(ctx.query, "sort"), POLICY_FIELDS);
  const { items, headers } = paginate(rows, page.page, page.pageSize, ctx.path, ctx.query);
  return jsonResponse(200, items.map((p) => policyJson(p, (id) => renderRegistry(ctx, id))), headers);
}

/** GET /replication/policies/{id} */
export async function getReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "replication-policy", "read");
  const p = ctx.sim.store.policies.get(id);
  if (!p) throw harborError(404, `policy ${id} not found`);
  return jsonResponse(200, policyJson(p, (rid) => renderRegistry(ctx, rid)));
}

/** DELETE /replication/policies/{id} */
export async function deleteReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "replication-policy", "delete");
  if (!ctx.sim.store.policies.delete(id)) throw harborError(404, `policy ${id} not found`);
  return emptyResponse(200);
}

const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** POST /projects: `registry_id` makes a proxy-cache project (validateProjectReq). */
export async function createProject(ctx: HandlerContext): Promise<SimResponse> {
  const body = projectCreateBody.parse(bindBody(ctx.body, "project", "ProjectReq"));
  requireAuthenticated(ctx.caller);
  const name = body.project_name ?? "";
  if (name === "" || name.length > 255 || !PROJECT_NAME.test(name)) {
    throw harborError(400, `project name is not in lower case or contains illegal characters`);
  }
  const registryId = body.registry_id ?? undefined;
  if (registryId !== undefined) {
    if (!ctx.caller!.sysadmin) throw harborError(403, ctx.caller!.username);
    if (registryId <= 0) throw harborError(400, `${registryId} is not a valid registry ID`);
    const r = ctx.sim.store.registries.get(registryId);
    // The controller's not-found error is wrapped with fmt.Errorf, so it loses its code: 500.
    if (!r) throw internalError();
    if (!ctx.sim.proxyCacheTypes.includes(r.type)) throw harborError(400, `unsupported registry type ${r.type}`);
  }
  if (ctx.sim.store.activeProjects().some((p) => p.name === name)) throw harborError(409, `The project named ${name} already exists`);
  const now = new Date();
  const isPublic = body.public ?? body.metadata?.public === "true";
  const id = ctx.sim.store.insertProject({ name, registryId, public: isPublic, deleted: false, creationTime: now, updateTime: now });
  return emptyResponse(201, { Location: `${ctx.path.replace(/\/+$/, "")}/${id}` });
}

/** GET /projects: anonymous callers see public projects only. */
export async function listProjects(ctx: HandlerContext): Promise<SimResponse> {
  const details: string[] = [];
  const page = bindPage(ctx.query, details);
  if (details.length > 0) throw validationFailure(details);
  const conditions = parseQuery(queryParam(ctx.query, "q"));
  const name = queryParam(ctx.query, "name");
  if (name) conditions.push({ key: "name", op: "eq", value: name });
  let rows = ctx.sim.store.activeProjects();
  if (!ctx.caller) rows = rows.filter((p) => p.public);
  rows = sortRows(filterRows(rows, conditions, PROJECT_FIELDS), queryParam(ctx.query, "sort"), PROJECT_FIELDS);
  const { items, headers } = paginate(rows, page.page, page.pageSize, ctx.path, ctx.query);
  return jsonResponse(200, items.map(projectJson), headers);
}

function findProject(ctx: HandlerContext) {
  const raw = ctx.params.project ?? "";
  const byName = String(ctx.headers["x-is-resource-name"] ?? "").toLowerCase() === "true" || parseInt64(raw) === undefined;
  const projects = ctx.sim.store.activeProjects();
  const p = byName ? projects.find((x) => x.name === raw) : projects.find((x) => x.id === parseInt64(raw));
  if (!p) throw harborError(404, `project ${raw} not found`);
  return p;
}

/** GET /projects/{project_name_or_id} */
export async function getProject(ctx: HandlerContext): Promise<SimResponse> {
  const p = findProject(ctx);
  if (!p.public) requireAuthenticated(ctx.caller);
  return jsonResponse(200, projectJson(p));
}

/** DELETE /projects/{project_name_or_id}: a soft delete, as in Harbor. */
export async function deleteProject(ctx: HandlerContext): Promise<SimResponse> {
  requireAuthenticated(ctx.caller);
  const p = findProject(ctx);
  if (!ctx.caller!.sysadmin) throw harborError(403, ctx.caller!.username);
  p.deleted = true;
  p.updateTime = new Date();
  return emptyResponse(200);
}

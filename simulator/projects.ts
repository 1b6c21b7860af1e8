// /projects as Harbor serves them (server/v2.0/handler/project.go): create, list, get, update, soft delete; metadata,
// CVE allowlist and storage quota stored. Fields whose semantics the simulator does not implement are refused with 400.
import { requireAuthenticated } from "./auth";
import type { HandlerContext } from "./handler-context";
import { filterRows, paginate, parseQuery, queryParam, sortRows, type FieldTable } from "./query";
import { emptyResponse, harborError, internalError, jsonResponse, validationFailure, type SimResponse } from "./responses";
import type { StoredProject } from "./types";
import { PROJECT_METADATA_KEYS, bindBody, bindPage, parseInt64, projectBody, type ProjectBody } from "./validation";

const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Metadata Harbor keeps only for proxy-cache projects. */
const PROXY_ONLY_METADATA = ["proxy_speed_kb", "max_upstream_conn", "proxy_cache_filter_pattern", "proxy_cache_filter_kind"];

/** Metadata whose validation (Go regexp / doublestar patterns) the simulator does not implement: refused, never dropped. */
const UNSUPPORTED_METADATA = ["proxy_cache_filter_pattern", "proxy_cache_filter_kind"];

/** Filter/sort keys of the project table. */
export const PROJECT_FIELDS: FieldTable<StoredProject> = {
  project_id: (p) => p.id, name: (p) => p.name, registry_id: (p) => p.registryId ?? 0,
  creation_time: (p) => p.creationTime, update_time: (p) => p.updateTime,
};

/** Whether anonymous callers can see the project. */
export function isPublic(p: StoredProject): boolean {
  return p.metadata.public === "true";
}

/** Project JSON (the Project definition): metadata keys in go-swagger's order, the CVE allowlist always present. */
export function projectJson(p: StoredProject): Record<string, unknown> {
  const allowlist: Record<string, unknown> = { creation_time: p.creationTime.toISOString() };
  if (p.cveAllowlist.expiresAt !== undefined) allowlist.expires_at = p.cveAllowlist.expiresAt;
  Object.assign(allowlist, {
    id: p.id,
    items: p.cveAllowlist.items.map((cve) => (cve === "" ? {} : { cve_id: cve })),
    project_id: p.id,
    update_time: p.cveAllowlist.updateTime.toISOString(),
  });
  const metadata = Object.fromEntries(Object.keys(p.metadata).sort().map((k) => [k, p.metadata[k]!]));
  const out: Record<string, unknown> = {
    creation_time: p.creationTime.toISOString(),
    current_user_role_id: 1,
    current_user_role_ids: [1],
    cve_allowlist: allowlist,
    metadata,
    name: p.name,
    owner_id: 1,
    owner_name: p.ownerName,
    project_id: p.id,
    repo_count: 0,
  };
  if (p.registryId !== undefined) out.registry_id = p.registryId;
  out.togglable = true;
  out.update_time = p.updateTime.toISOString();
  return out;
}

type Metadata = NonNullable<ProjectBody["metadata"]>;

/** lib.JSONCopy of a ProjectMetadata into the stored map: every field that was sent (omitempty `public` only when non-empty). */
function sentMetadata(md: Metadata | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PROJECT_METADATA_KEYS) {
    const v = md?.[key];
    if (v === undefined || v === null || (key === "public" && v === "")) continue;
    out[key] = v;
  }
  return out;
}

function refuseUnsupportedMetadata(md: Record<string, string>): void {
  for (const key of UNSUPPORTED_METADATA) {
    if ((md[key] ?? "") !== "") throw harborError(400, `metadata.${key} is not supported by the Harbor simulator`);
  }
}

/** strconv.ParseInt(s, 10, 32)'s error text, or undefined when s is an int32. */
function int32Error(s: string): string | undefined {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  return n < -2147483648 || n > 2147483647 ? `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range` : undefined;
}

/** go-swagger's ProjectReq.Validate(): `project_name` maxLength 255 (runes) → 422. */
function bindProjectReq(ctx: HandlerContext): ProjectBody {
  const body = projectBody.parse(bindBody(ctx.body, "project", "ProjectReq"));
  if ([...(body.project_name ?? "")].length > 255) throw validationFailure(["project_name in body should be at most 255 chars long"]);
  return body;
}

/** POST /projects: `registry_id` makes a proxy-cache project (validateProjectReq). */
export async function createProject(ctx: HandlerContext): Promise<SimResponse> {
  const body = bindProjectReq(ctx);
  requireAuthenticated(ctx.caller);
  const caller = ctx.caller!;
  const name = body.project_name ?? "";
  if (name === "" || !PROJECT_NAME.test(name)) {
    throw harborError(400, `project name is not in lower case or contains illegal characters`);
  }
  const registryId = body.registry_id ?? undefined;
  if (registryId !== undefined && !caller.sysadmin) throw harborError(403, "Only system admin can create proxy cache project");
  // Quota per project is on by default; callers other than the admin, and 0, get StoragePerProject (-1, unlimited).
  const storageLimit = body.storage_limit == null || body.storage_limit === 0 || !caller.sysadmin ? -1 : body.storage_limit;
  const metadata = sentMetadata(body.metadata);
  // The deprecated `public` fills metadata.public, which defaults to "false".
  if (metadata.public === undefined) metadata.public = String(body.public ?? false);
  if (metadata.public !== "true" && metadata.public !== "false") {
    throw harborError(400, `metadata.public should only be 'true' or 'false', but got: '${metadata.public}'`);
  }
  if (registryId === undefined) for (const key of PROXY_ONLY_METADATA) delete metadata[key];
  // Content trust does not apply to proxy-cache projects (goharbor/harbor#12940).
  else delete metadata.enable_content_trust;
  if ((metadata.retention_id ?? "") !== "") {
    throw harborError(400, "the retention_id in the request's payload when creating a project should be omitted, alternatively passing an empty string");
  }
  delete metadata.retention_id;
  if (registryId !== undefined) {
    if (registryId <= 0) throw harborError(400, `${registryId} is invalid value of registry_id, it should be geater than 0`);
    const r = ctx.sim.store.registries.get(registryId);
    // The controller's not-found error is wrapped with fmt.Errorf, so it loses its code: 500.
    if (!r) throw internalError();
    if (!ctx.sim.proxyCacheTypes.includes(r.type)) throw harborError(400, `unsupported registry type ${r.type}`);
    const speed = metadata.proxy_speed_kb;
    const speedErr = speed === undefined ? undefined : int32Error(speed);
    if (speedErr) throw harborError(400, `metadata.proxy_speed_kb should by an int32, but got: '${speed}', err: ${speedErr}`);
    const conn = metadata.max_upstream_conn;
    const connErr = conn === undefined ? undefined : int32Error(conn);
    if (connErr) throw harborError(400, `metadata.max_upstream_conn should be an int, but got '${conn}', err: ${connErr}`);
    refuseUnsupportedMetadata(metadata);
  }
  if (storageLimit <= 0 && storageLimit !== -1) throw harborError(400, "invalid value for resource storage");
  if (ctx.sim.store.activeProjects().some((p) => p.name === name)) throw harborError(409, `The project named ${name} already exists`);
  const now = new Date();
  // Harbor creates a 7-day retention policy for every proxy-cache project and records its id in the metadata.
  if (registryId !== undefined) metadata.retention_id = String(ctx.sim.store.allocateRetentionId());
  const id = ctx.sim.store.insertProject({
    name, registryId, metadata, cveAllowlist: { items: [], updateTime: now }, storageLimit, ownerName: caller.username,
    deleted: false, creationTime: now, updateTime: now,
  });
  const byName = String(ctx.headers["x-resource-name-in-location"] ?? "").toLowerCase() === "true";
  return emptyResponse(201, { Location: `${ctx.path.replace(/\/+$/, "")}/${byName ? name : id}` });
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
  if (!ctx.caller) rows = rows.filter(isPublic);
  rows = sortRows(filterRows(rows, conditions, PROJECT_FIELDS), queryParam(ctx.query, "sort"), PROJECT_FIELDS);
  const { items, headers } = paginate(rows, page.page, page.pageSize, ctx.path, ctx.query);
  return jsonResponse(200, items.map(projectJson), headers);
}

function findProject(ctx: HandlerContext): StoredProject {
  const raw = ctx.params.project ?? "";
  const byName = String(ctx.headers["x-is-resource-name"] ?? "").toLowerCase() === "true" || parseInt64(raw) === undefined;
  const projects = ctx.sim.store.activeProjects();
  const p = byName ? projects.find((x) => x.name === raw) : projects.find((x) => x.id === parseInt64(raw));
  if (!p) throw harborError(404, `project ${raw} not found`);
  return p;
}

/** RequireProjectAccess for a change: the system admin or the project's owner (project members are not modelled). */
function requireProjectAdmin(ctx: HandlerContext, p: StoredProject): void {
  requireAuthenticated(ctx.caller);
  if (!ctx.caller!.sysadmin && ctx.caller!.username !== p.ownerName) throw harborError(403, ctx.caller!.username);
}

/** GET /projects/{project_name_or_id} */
export async function getProject(ctx: HandlerContext): Promise<SimResponse> {
  const p = findProject(ctx);
  if (!isPublic(p)) requireAuthenticated(ctx.caller);
  return jsonResponse(200, projectJson(p));
}

/**
 * PUT /projects/{project_name_or_id}: merges the sent metadata and replaces the CVE allowlist. As in Harbor, the
 * body's `project_name`, `public`, `storage_limit` and `registry_id` are not read on update.
 */
export async function updateProject(ctx: HandlerContext): Promise<SimResponse> {
  const body = bindProjectReq(ctx);
  const p = findProject(ctx);
  requireProjectAdmin(ctx, p);
  const allowlist = body.cve_allowlist;
  if (allowlist && (allowlist.project_id ?? 0) !== 0 && allowlist.project_id !== p.id) {
    throw harborError(400, `project_id in cve_allowlist must be ${p.id} but it's ${allowlist.project_id}`);
  }
  const sent = sentMetadata(body.metadata);
  if (p.registryId === undefined) for (const key of PROXY_ONLY_METADATA) delete sent[key];
  else {
    delete sent.enable_content_trust;
    refuseUnsupportedMetadata(sent);
  }
  const metadata = { ...p.metadata, ...sent };
  if (metadata.retention_id !== undefined && metadata.retention_id !== p.metadata.retention_id) {
    throw harborError(
      400,
      "the retention_id in the request's payload when updating a project should be omitted, alternatively passing the one that has already been associated to this project",
    );
  }
  // A JSON null item is a nil pointer dereferenced by Harbor: 500.
  if (allowlist?.items?.some((i) => i === null)) throw internalError();
  const now = new Date();
  p.metadata = metadata;
  if (allowlist) {
    p.cveAllowlist = { items: (allowlist.items ?? []).map((i) => i!.cve_id ?? ""), expiresAt: allowlist.expires_at ?? undefined, updateTime: now };
  }
  p.updateTime = now;
  return emptyResponse(200);
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

// /replication/policies as Harbor serves them: every field stored, Harbor's validation order, codes and messages.
// Sources: server/v2.0/handler/replication.go, controller/replication/{policy.go,model/model.go}, pkg/reg/model/policy.go,
// pkg/replication/dao. Policies are never executed.
import { requireSystemAccess } from "./auth";
import { isValidHarborCron } from "./cron";
import type { HandlerContext } from "./handler-context";
import { filterRows, paginate, queryParam, sortRows, type FieldTable } from "./query";
import { bindId, bindListQuery } from "./registry-handlers";
import { emptyResponse, harborError, internalError, jsonResponse, type SimResponse } from "./responses";
import { localRegistryJson, registryJson, type SimStore } from "./store";
import type { StoredPolicy, StoredPolicyFilter } from "./types";
import { bindBody, parseInt64, pathIdError, policyBody, type PolicyBody } from "./validation";

/** docker/distribution's reference.NameRegexp (optional domain, then path components), anchored: lib.RepositoryNameRe. */
const REPOSITORY_NAME = (() => {
  const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
  const component = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
  return new RegExp(`^(?:${domain}/)?${component}(?:/${component})*$`);
})();

const TRIGGER_TYPES = ["manual", "scheduled", "event_based"];

/** The `trigger` column: the trigger as Harbor marshals it into the table ("" when there is none). */
function triggerColumn(p: StoredPolicy): string {
  if (!p.trigger) return "";
  return JSON.stringify({ type: p.trigger.type, trigger_settings: p.trigger.cron === undefined ? null : { cron: p.trigger.cron } });
}

/** The `filters` column ("" when there are none). */
function filtersColumn(p: StoredPolicy): string {
  if (p.filters.length === 0) return "";
  return JSON.stringify(p.filters.map((f) => ({ type: f.type, value: f.value, ...(f.decoration !== "" ? { decoration: f.decoration } : {}) })));
}

/** Filter/sort keys of the replication_policy table: Go field names and column names (orm.listQueriableCols). */
export const POLICY_FIELDS: FieldTable<StoredPolicy> = {
  ID: (p) => p.id, id: (p) => p.id,
  Name: (p) => p.name, name: (p) => p.name,
  Description: (p) => p.description, description: (p) => p.description,
  Creator: (p) => p.creator, creator: (p) => p.creator,
  SrcRegistryID: (p) => p.srcRegistryId ?? 0, src_registry_id: (p) => p.srcRegistryId ?? 0,
  DestRegistryID: (p) => p.destRegistryId ?? 0, dest_registry_id: (p) => p.destRegistryId ?? 0,
  DestNamespace: (p) => p.destNamespace, dest_namespace: (p) => p.destNamespace,
  DestNamespaceReplaceCount: (p) => p.destNamespaceReplaceCount, dest_namespace_replace_count: (p) => p.destNamespaceReplaceCount,
  Override: (p) => p.override, override: (p) => p.override,
  Enabled: (p) => p.enabled, enabled: (p) => p.enabled,
  Trigger: triggerColumn, trigger: triggerColumn,
  Filters: filtersColumn, filters: filtersColumn,
  ReplicateDeletion: (p) => p.replicateDeletion, replicate_deletion: (p) => p.replicateDeletion,
  CreationTime: (p) => p.creationTime, creation_time: (p) => p.creationTime,
  UpdateTime: (p) => p.updateTime, update_time: (p) => p.updateTime,
  Speed: (p) => p.speed, speed_kb: (p) => p.speed,
  CopyByChunk: (p) => p.copyByChunk, copy_by_chunk: (p) => p.copyByChunk,
  SingleActiveReplication: (p) => p.singleActiveReplication, single_active_replication: (p) => p.singleActiveReplication,
};

/** A manual, enabled policy with Harbor's defaults for every other field (what the simulator's `addReplicationPolicy` stores). */
export function defaultPolicy(p: Pick<StoredPolicy, "name" | "srcRegistryId" | "destRegistryId">, now = new Date()): Omit<StoredPolicy, "id"> {
  return {
    name: p.name, description: "", creator: "admin", srcRegistryId: p.srcRegistryId || undefined, destRegistryId: p.destRegistryId || undefined,
    destNamespace: "", destNamespaceReplaceCount: -1, trigger: { type: "manual" }, filters: [], replicateDeletion: false, override: true,
    enabled: true, speed: 0, copyByChunk: false, singleActiveReplication: false, creationTime: now, updateTime: now,
  };
}

function renderRegistry(store: SimStore, withCa: boolean, id: number | undefined): Record<string, unknown> | undefined {
  if (id === undefined) return localRegistryJson();
  const r = store.registries.get(id);
  return r ? registryJson(r, withCa) : undefined;
}

/**
 * convertReplicationPolicy(): go-swagger's field order; plain bools and strings are omitempty, the pointer fields
 * (`dest_namespace_replace_count`, `speed`, `copy_by_chunk`, `single_active_replication`) are always sent, a policy
 * without filters has `"filters": null`, and the side that is not a remote registry is the synthetic "Local" one.
 */
export function policyJson(p: StoredPolicy, store: SimStore, withCa: boolean): Record<string, unknown> {
  // populateRegistry: a policy with a remote source pulls into Local; otherwise it pushes from Local.
  const pulls = p.srcRegistryId !== undefined;
  const src = renderRegistry(store, withCa, pulls ? p.srcRegistryId : undefined);
  const dest = renderRegistry(store, withCa, pulls ? undefined : p.destRegistryId);
  const out: Record<string, unknown> = { copy_by_chunk: p.copyByChunk, creation_time: p.creationTime.toISOString() };
  if (p.replicateDeletion) out.deletion = true;
  if (p.description !== "") out.description = p.description;
  if (p.destNamespace !== "") out.dest_namespace = p.destNamespace;
  out.dest_namespace_replace_count = p.destNamespaceReplaceCount;
  if (dest) out.dest_registry = dest;
  if (p.enabled) out.enabled = true;
  out.filters = p.filters.length === 0
    ? null
    : p.filters.map((f) => ({
        ...(f.decoration !== "" ? { decoration: f.decoration } : {}),
        ...(f.type !== "" ? { type: f.type } : {}),
        ...(f.value !== undefined && f.value !== null ? { value: f.value } : {}),
      }));
  out.id = p.id;
  if (p.name !== "") out.name = p.name;
  if (p.override) out.override = true;
  if (p.replicateDeletion) out.replicate_deletion = true;
  out.single_active_replication = p.singleActiveReplication;
  out.speed = p.speed;
  if (src) out.src_registry = src;
  if (p.trigger) {
    const trigger: Record<string, unknown> = {};
    if (p.trigger.type !== "") trigger.type = p.trigger.type;
    if (p.trigger.cron !== undefined) trigger.trigger_settings = p.trigger.cron === "" ? {} : { cron: p.trigger.cron };
    out.trigger = trigger;
  }
  out.update_time = p.updateTime.toISOString();
  return out;
}

/** pkg/reg/model Filter.Validate(): the 400 message, or undefined. */
function filterError(f: StoredPolicyFilter): string | undefined {
  switch (f.type) {
    case "resource":
    case "name":
    case "tag":
      if (typeof f.value !== "string") return "the type of filter value isn't string";
      if (f.type === "resource" && f.value !== "artifact" && f.value !== "image") return `invalid resource filter: ${f.value}`;
      if (f.type !== "tag" && f.decoration !== "") return "only tag and label filter support decoration";
      break;
    case "label":
      if (!Array.isArray(f.value) || !f.value.every((l) => typeof l === "string")) return "the type of label filter value isn't string slice";
      break;
    default:
      return "invalid filter type";
  }
  if (f.decoration !== "" && f.decoration !== "matches" && f.decoration !== "excludes") return `invalid filter decoration, :${f.decoration}`;
  return undefined;
}

/** The handler's conversion of the request body: absent fields take Go's zero values, except the replace count (-1). */
function policyFromBody(body: PolicyBody): Omit<StoredPolicy, "id" | "creator" | "creationTime" | "updateTime"> {
  // A JSON null inside `filters` is a nil pointer that the handler dereferences: a panic, recovered as 500.
  if (body.filters?.some((f) => f === null)) throw internalError();
  const speed = body.speed ?? 0;
  return {
    name: body.name ?? "",
    description: body.description ?? "",
    srcRegistryId: body.src_registry ? body.src_registry.id ?? 0 : undefined,
    destRegistryId: body.dest_registry ? body.dest_registry.id ?? 0 : undefined,
    destNamespace: body.dest_namespace ?? "",
    destNamespaceReplaceCount: body.dest_namespace_replace_count ?? -1,
    trigger: body.trigger
      ? { type: body.trigger.type ?? "", ...(body.trigger.trigger_settings ? { cron: body.trigger.trigger_settings.cron ?? "" } : {}) }
      : undefined,
    filters: (body.filters ?? []).map((f) => ({ type: f!.type ?? "", value: f!.value ?? null, decoration: f!.decoration ?? "" })),
    // Harbor's handler reads the deprecated `deletion`; a `replicate_deletion` in the request is not read.
    replicateDeletion: body.deletion ?? false,
    override: body.override ?? false,
    enabled: body.enabled ?? false,
    // A negative speed is stored as 0 (unlimited).
    speed: speed < 0 ? 0 : speed,
    copyByChunk: body.copy_by_chunk ?? false,
    singleActiveReplication: body.single_active_replication ?? false,
  };
}

/** The checks after the access check, in Harbor's order; resolves the registry ids as stored (0 = Local = undefined). */
function validatePolicy(ctx: HandlerContext, p: ReturnType<typeof policyFromBody>): void {
  if (p.singleActiveReplication && p.trigger?.type === "event_based") {
    // A plain fmt.Errorf in the handler: Harbor answers 500.
    throw internalError();
  }
  if (p.name === "") throw harborError(400, "empty name");
  const src = p.srcRegistryId ?? 0;
  const dest = p.destRegistryId ?? 0;
  if ((src !== 0) === (dest !== 0)) {
    throw harborError(400, "either src_registry or dest_registry should be empty and the other one shouldn't be empty");
  }
  for (const f of p.filters) {
    const err = filterError(f);
    if (err) throw harborError(400, err);
  }
  if (p.destNamespace !== "" && !REPOSITORY_NAME.test(p.destNamespace)) {
    throw harborError(400, `invalid destination namespace: ${p.destNamespace}`);
  }
  if (p.trigger) {
    if (!TRIGGER_TYPES.includes(p.trigger.type)) throw harborError(400, "invalid trigger type");
    if (p.trigger.type === "scheduled") {
      const cron = p.trigger.cron ?? "";
      if (cron === "") throw harborError(400, "the cron string cannot be empty when the trigger type is scheduled");
      if (!isValidHarborCron(cron)) throw harborError(400, `invalid cron string for scheduled trigger: ${cron}`);
    }
  }
  // regMgr.Get for each side that was sent; id 0 is the local Harbor.
  for (const id of [p.srcRegistryId, p.destRegistryId]) {
    if (id !== undefined && id !== 0 && !ctx.sim.store.registries.has(id)) throw harborError(404, `registry ${id} not found`);
  }
}

/** Stored form: the local registry (0) is kept as "no registry". */
function normalised(p: ReturnType<typeof policyFromBody>): ReturnType<typeof policyFromBody> {
  return { ...p, srcRegistryId: p.srcRegistryId || undefined, destRegistryId: p.destRegistryId || undefined };
}

/** POST /replication/policies */
export async function createReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const body = policyBody.parse(bindBody(ctx.body, "policy", "ReplicationPolicy"));
  requireSystemAccess(ctx.caller, "replication-policy", "create");
  const policy = policyFromBody(body);
  validatePolicy(ctx, policy);
  if (ctx.sim.store.policyByName(policy.name)) throw harborError(409, `replication policy ${policy.name} already exists`);
  const now = new Date();
  const id = ctx.sim.store.insertPolicy({ ...normalised(policy), creator: ctx.caller!.username, creationTime: now, updateTime: now });
  return emptyResponse(201, { Location: `${ctx.path.replace(/\/+$/, "")}/${id}` });
}

/** PUT /replication/policies/{id}: the body replaces every field (absent = zero value), validated as on create. */
export async function updateReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const raw = ctx.params.id ?? "";
  const idErr = pathIdError(raw);
  const body = policyBody.parse(bindBody(ctx.body, "policy", "ReplicationPolicy", idErr ? [idErr] : []));
  const id = parseInt64(raw)!;
  requireSystemAccess(ctx.caller, "replication-policy", "update");
  const policy = policyFromBody(body);
  validatePolicy(ctx, policy);
  const stored = ctx.sim.store.policies.get(id);
  if (!stored) throw harborError(404, `replication policy ${id} not found`);
  const clash = ctx.sim.store.policyByName(policy.name);
  if (clash && clash.id !== id) throw harborError(409, `replication policy ${policy.name} already exists`);
  // Not verified against a running Harbor: the creator and creation time are kept (Harbor's handler sets neither).
  ctx.sim.store.policies.set(id, { ...stored, ...normalised(policy), id, updateTime: new Date() });
  return emptyResponse(200);
}

/** GET /replication/policies: `q`, `sort` (default: newest first), paging, the deprecated fuzzy `name`. */
export async function listReplicationPolicies(ctx: HandlerContext): Promise<SimResponse> {
  const { page, conditions } = bindListQuery(ctx, "replication-policy");
  // The model's `sort:"default:desc"` on creation_time; ids break ties the way insertion order would.
  const sort = queryParam(ctx.query, "sort") ?? "-creation_time,-id";
  const rows = sortRows(filterRows([...ctx.sim.store.policies.values()], conditions, POLICY_FIELDS), sort, POLICY_FIELDS);
  const { items, headers } = paginate(rows, page.page, page.pageSize, ctx.path, ctx.query);
  return jsonResponse(200, items.map((p) => policyJson(p, ctx.sim.store, ctx.sim.withCa)), headers);
}

/** GET /replication/policies/{id} */
export async function getReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "replication-policy", "read");
  const p = ctx.sim.store.policies.get(id);
  if (!p) throw harborError(404, `replication policy ${id} not found`);
  return jsonResponse(200, policyJson(p, ctx.sim.store, ctx.sim.withCa));
}

/** DELETE /replication/policies/{id} (there are no executions to block it). */
export async function deleteReplicationPolicy(ctx: HandlerContext): Promise<SimResponse> {
  const id = bindId(ctx);
  requireSystemAccess(ctx.caller, "replication-policy", "delete");
  if (!ctx.sim.store.policies.delete(id)) throw harborError(404, `replication policy ${id} not found`);
  return emptyResponse(200);
}

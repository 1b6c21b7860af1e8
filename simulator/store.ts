// In-memory Harbor database: registries, replication policies, projects, and their wire renderings.
import type { StoredPolicy, StoredProject, StoredRegistry } from "./types";
import type { FieldTable } from "./query";

/** Harbor's synthetic "Local" registry (id 0) as GET /registries/0 returns it. */
export function localRegistryJson(): Record<string, unknown> {
  return {
    creation_time: "0001-01-01T00:00:00.000Z",
    credential: { access_secret: "*****", type: "secret" },
    id: 0,
    // insecure = !internalTLS; the simulator models a default install without internal TLS.
    insecure: true,
    name: "Local",
    status: "healthy",
    type: "harbor",
    update_time: "0001-01-01T00:00:00.000Z",
    url: "http://core:8080",
  };
}

/** convertRegistry(): the wire JSON of a stored registry (keys in go-swagger's order; empty values omitted). */
export function registryJson(r: StoredRegistry, withCa: boolean): Record<string, unknown> {
  const credential: Record<string, string> = {};
  if (r.accessKey !== "") {
    credential.access_key = r.accessKey;
    if (r.accessSecret !== "") credential.access_secret = "*****";
    credential.type = r.credentialType || "basic";
  }
  const out: Record<string, unknown> = {};
  if (withCa && r.caCertificate !== "") out.ca_certificate = r.caCertificate;
  out.creation_time = r.creationTime.toISOString();
  out.credential = credential;
  if (r.description !== "") out.description = r.description;
  out.id = r.id;
  if (r.insecure) out.insecure = true;
  if (r.name !== "") out.name = r.name;
  if (r.status !== "") out.status = r.status;
  if (r.type !== "") out.type = r.type;
  out.update_time = r.updateTime.toISOString();
  if (r.url !== "") out.url = r.url;
  return out;
}

/** Filter/sort keys of the registry table (src/pkg/reg/dao/model.go): Go field names and column names. */
export const REGISTRY_FIELDS: FieldTable<StoredRegistry> = {
  ID: (r) => r.id, id: (r) => r.id,
  URL: (r) => r.url, url: (r) => r.url,
  Name: (r) => r.name, name: (r) => r.name,
  CredentialType: (r) => r.credentialType, credential_type: (r) => r.credentialType,
  Type: (r) => r.type, type: (r) => r.type,
  Insecure: (r) => r.insecure, insecure: (r) => r.insecure,
  Description: (r) => r.description, description: (r) => r.description,
  // The column is `health`; `status` is not a filter key.
  Status: (r) => r.status, health: (r) => r.status,
  CreationTime: (r) => r.creationTime, creation_time: (r) => r.creationTime,
  UpdateTime: (r) => r.updateTime, update_time: (r) => r.updateTime,
};

/** Filter/sort keys of the replication policy table. */
export const POLICY_FIELDS: FieldTable<StoredPolicy> = {
  id: (p) => p.id, ID: (p) => p.id, name: (p) => p.name, Name: (p) => p.name,
  creation_time: (p) => p.creationTime, update_time: (p) => p.updateTime,
};

/** Filter/sort keys of the project table. */
export const PROJECT_FIELDS: FieldTable<StoredProject> = {
  project_id: (p) => p.id, name: (p) => p.name, registry_id: (p) => p.registryId ?? 0,
  creation_time: (p) => p.creationTime, update_time: (p) => p.updateTime,
};

/** The whole in-memory state of one simulator. */
export class SimStore {
  /** Registries by id (the synthetic local registry 0 is not stored). */
  readonly registries = new Map<number, StoredRegistry>();
  /** Replication policies by id. */
  readonly policies = new Map<number, StoredPolicy>();
  /** Projects by id, soft-deleted ones included. */
  readonly projects = new Map<number, StoredProject>();
  private nextRegistryId = 1;
  private nextPolicyId = 1;
  private nextProjectId = 2; // project 1 is Harbor's built-in `library`

  /** An empty database holding only Harbor's built-in `library` project. */
  constructor() {
    const now = new Date();
    this.projects.set(1, { id: 1, name: "library", public: true, deleted: false, creationTime: now, updateTime: now });
  }

  /** Registry by exact (case-sensitive) name. */
  registryByName(name: string): StoredRegistry | undefined {
    return [...this.registries.values()].find((r) => r.name === name);
  }

  /** Inserts a registry; returns its id. Name uniqueness is the caller's check (the 409 comes after the health check). */
  insertRegistry(r: Omit<StoredRegistry, "id">): number {
    const id = this.nextRegistryId++;
    this.registries.set(id, { ...r, id });
    return id;
  }

  /** Inserts a policy; returns its id. */
  insertPolicy(p: Omit<StoredPolicy, "id">): number {
    const id = this.nextPolicyId++;
    this.policies.set(id, { ...p, id });
    return id;
  }

  /** Inserts a project; returns its id. */
  insertProject(p: Omit<StoredProject, "id">): number {
    const id = this.nextProjectId++;
    this.projects.set(id, { ...p, id });
    return id;
  }

  /** Active projects only (soft-deleted ones are hidden, as in Harbor). */
  activeProjects(): StoredProject[] {
    return [...this.projects.values()].filter((p) => !p.deleted);
  }
}

/** Project JSON (the Project definition) for a stored project. */
export function projectJson(p: StoredProject): Record<string, unknown> {
  const out: Record<string, unknown> = {
    creation_time: p.creationTime.toISOString(),
    current_user_role_id: 1,
    current_user_role_ids: [1],
    cve_allowlist: { creation_time: p.creationTime.toISOString(), id: p.id, items: [], project_id: p.id, update_time: p.updateTime.toISOString() },
    metadata: { public: p.public ? "true" : "false" },
    name: p.name,
    owner_id: 1,
    owner_name: "admin",
    project_id: p.id,
    repo_count: 0,
  };
  if (p.registryId !== undefined) out.registry_id = p.registryId;
  out.togglable = true;
  out.update_time = p.updateTime.toISOString();
  return out;
}

/** ReplicationPolicy JSON; src/dest registries are rendered with convertRegistry (id 0 = Local). */
export function policyJson(p: StoredPolicy, registry: (id: number) => Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    copy_by_chunk: false,
    creation_time: p.creationTime.toISOString(),
    deletion: false,
  };
  if (p.description !== "") out.description = p.description;
  if (p.destNamespace !== "") out.dest_namespace = p.destNamespace;
  out.dest_namespace_replace_count = -1;
  if (p.destRegistryId !== undefined) {
    const r = registry(p.destRegistryId);
    if (r) out.dest_registry = r;
  }
  out.enabled = p.enabled;
  out.filters = [];
  out.id = p.id;
  out.name = p.name;
  out.override = true;
  out.replicate_deletion = false;
  out.single_active_replication = false;
  out.speed = -1;
  if (p.srcRegistryId !== undefined) {
    const r = registry(p.srcRegistryId);
    if (r) out.src_registry = r;
  }
  out.trigger = { type: "manual", trigger_settings: { cron: "" } };
  out.update_time = p.updateTime.toISOString();
  return out;
}

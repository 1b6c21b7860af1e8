// In-memory Harbor database: registries, replication policies, projects; the registry wire rendering.
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
  private nextRetentionId = 1;

  /** An empty database holding only Harbor's built-in `library` project. */
  constructor() {
    const now = new Date();
    this.projects.set(1, {
      id: 1, name: "library", metadata: { public: "true" }, cveAllowlist: { items: [], updateTime: now }, storageLimit: -1,
      ownerName: "admin", deleted: false, creationTime: now, updateTime: now,
    });
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

  /** A new tag-retention policy id (Harbor creates one for every proxy-cache project). */
  allocateRetentionId(): number {
    return this.nextRetentionId++;
  }

  /** Policy by exact (case-sensitive) name. */
  policyByName(name: string): StoredPolicy | undefined {
    return [...this.policies.values()].find((p) => p.name === name);
  }

  /** Active projects only (soft-deleted ones are hidden, as in Harbor). */
  activeProjects(): StoredProject[] {
    return [...this.projects.values()].filter((p) => !p.deleted);
  }
}

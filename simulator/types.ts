// Public types of the Harbor API simulator: options, the running handle, faults and the request log.
import type { RateLimitOptions } from "./rate-limit";

/** A non-admin account the simulator accepts with HTTP basic auth (a local user or a `robot$...` account). */
export interface SimulatorUser {
  /** Login name; a name starting with `robot$` is a robot account. */
  username: string;
  /** Password (or robot secret). */
  password: string;
  /** System administrator: every permission. Default false. */
  sysadmin?: boolean;
  /** System permissions as `<resource>:<action>`, e.g. `"registry:read"`, `"replication-adapter:list"`. */
  permissions?: string[];
}

/** Options of {@link startHarborSimulator}. */
export interface HarborSimulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Password of the `admin` user. Default `Harbor12345`. */
  adminPassword?: string;
  /** Extra users and robot accounts. */
  users?: SimulatorUser[];
  /**
   * Harbor release whose behaviour is simulated. Default `v2.15.2`.
   * `v2.16.0` enables HEAD behaviours (PUT on id 0 → 404, a URL change without a new secret clears the secret,
   * ping by id ignores url/insecure/ca overrides); `v2.14.0` has no `ca_certificate` field.
   */
  harborVersion?: string;
  /**
   * Maps an origin Harbor would contact (e.g. `https://registry-1.docker.io`, `https://hub.docker.com`, `https://ghcr.io`)
   * to a reachable origin such as `http://127.0.0.1:5000`. Without a mapping, adapter types whose health check goes to a
   * fixed internet host are reported unhealthy without any network traffic.
   */
  remoteOverrides?: Record<string, string>;
  /**
   * Serve offline stand-ins for the fixed internet hosts of the `docker-hub` adapter (`https://hub.docker.com`,
   * `https://registry-1.docker.io`, `https://auth.docker.io`) and of `github-ghcr` (`https://ghcr.io`): local servers
   * that answer Harbor's health checks as those hosts do, accepting any non-empty user name and password (and
   * anonymous pulls). A `remoteOverrides` entry for one of these origins wins over its stand-in. Default `false`
   * (those types are then unhealthy, as on a Harbor without internet access); the `harbor-sim` command turns them on
   * unless given `--no-stand-ins`.
   */
  standIns?: boolean;
  /** Timeout of one outgoing health-check request. Default 10000 ms. */
  healthCheckTimeoutMs?: number;
  /** Harbor's read-only mode: every POST/PUT/DELETE gets 403 DENIED. Default false. */
  readOnly?: boolean;
  /** Adapter types listed by /replication/adapters and /replication/adapterinfos (REPLICATION_ADAPTER_WHITELIST). */
  adapterWhitelist?: string[];
  /** Registry types allowed for proxy-cache projects (PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE). */
  proxyCacheTypes?: string[];
  /**
   * A rate limit in front of Harbor (as nginx's limit_req or a cloud gateway would enforce): requests beyond it are
   * answered 429 TOO_MANY_REQUEST with `Retry-After` before Harbor sees them. Default: none.
   */
  rateLimit?: RateLimitOptions;
  /** Called once per response, after it was written (tests validate bodies against swagger.yaml with it). */
  onResponse?: (info: SimulatorResponseInfo) => void;
}

/** What {@link HarborSimulatorOptions.onResponse} receives. */
export interface SimulatorResponseInfo {
  /** HTTP method of the request. */
  method: string;
  /** Request path without the query. */
  path: string;
  /** Swagger operationId of the matched route (e.g. `listRegistries`), or a pseudo id for non-API routes. */
  route: string;
  /** HTTP status sent. */
  status: number;
  /** Content-Type sent, if any. */
  contentType?: string;
  /** Parsed JSON body, the text for text bodies, or undefined when there was no body. */
  body: unknown;
}

/** One fault to inject: matching requests are delayed, answered with a status, or have their connection dropped. */
export interface SimulatorFault {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Exact request path (no query), or a RegExp tested against path and query. */
  path: string | RegExp;
  /** How many matching requests it applies to. Default 1; `Infinity` for all. */
  times?: number;
  /** Answer with this status and Harbor's error envelope instead of handling the request. */
  status?: number;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
  /** `before`: close the socket without handling; `afterApply`: handle (e.g. create) then close without answering. */
  dropConnection?: "before" | "afterApply";
}

/** One entry of the simulator's request log. */
export interface SimulatorRequest {
  /** HTTP method. */
  method: string;
  /** Path without query. */
  path: string;
  /** Raw query string without `?` ("" when none). */
  query: string;
  /** Status answered; 0 when the connection was dropped. */
  status: number;
  /** X-Request-Id answered. */
  requestId: string;
  /** Request headers, names lower-cased; `authorization` keeps only its scheme (e.g. `Basic [REDACTED]`). */
  headers: Record<string, string>;
  /** Parsed JSON request body (may hold secrets sent by the client, for assertions), the raw text if not JSON, or undefined. */
  body?: unknown;
}

/** A stored registry as held in memory, with the real secret (for test assertions only). */
export interface StoredRegistry {
  /** Registry id (1, 2, …; 0 is Harbor's synthetic local registry and never stored). */
  id: number;
  /** Unique, case-sensitive name (at most 64 bytes). */
  name: string;
  /** URL as Harbor stores it: normalised by ValidateHTTPURL (no trailing slash, query, fragment or user-info). */
  url: string;
  /** Adapter type, e.g. `docker-registry`, `harbor`, `aws-ecr`; cannot change after creation. */
  type: string;
  /** Free-text description ("" when none). */
  description: string;
  /** Skip TLS verification when Harbor talks to the remote. */
  insecure: boolean;
  /** PEM CA bundle trusted for the remote ("" when none; always "" in v2.14.0). */
  caCertificate: string;
  /** Credential type (`basic`, `oauth`, `secret`); "" when no credential is stored. */
  credentialType: string;
  /** Access key / user name; "" means no credential is stored at all. */
  accessKey: string;
  /** The real access secret (Harbor returns only `*****`); "" when none. */
  accessSecret: string;
  /** Stored health: `healthy` after every successful create or update. */
  status: string;
  /** When the registry was created. */
  creationTime: Date;
  /** When the registry was last updated. */
  updateTime: Date;
}

/** A filter of a replication policy, as Harbor stores it. */
export interface StoredPolicyFilter {
  /** `name`, `tag`, `label` or `resource`. */
  type: string;
  /** A string, or for `label` an array of strings. */
  value: unknown;
  /** `matches`, `excludes` or "" (tag and label filters only). */
  decoration: string;
}

/** The trigger of a replication policy. */
export interface StoredPolicyTrigger {
  /** `manual`, `scheduled` or `event_based`. */
  type: string;
  /** The cron of `trigger_settings` (six fields, seconds first); undefined when no `trigger_settings` was sent. */
  cron?: string;
}

/** A replication policy held by the simulator: every field Harbor stores. */
export interface StoredPolicy {
  /** Policy id. */
  id: number;
  /** Unique, case-sensitive policy name. */
  name: string;
  /** Free-text description. */
  description: string;
  /** Who created it (the caller's username). */
  creator: string;
  /** Source registry id (absent = the local Harbor); blocks deleting that registry (412). */
  srcRegistryId?: number;
  /** Destination registry id (absent = the local Harbor); blocks deleting that registry (412). */
  destRegistryId?: number;
  /** Destination namespace ("" when none). */
  destNamespace: string;
  /** How many leading path components the destination namespace replaces; -1 = legacy mode (the default). */
  destNamespaceReplaceCount: number;
  /** Trigger: `manual`, `event_based`, or `scheduled` with a six-field cron; absent when none was sent. */
  trigger?: StoredPolicyTrigger;
  /** Resource filters, in the order sent. */
  filters: StoredPolicyFilter[];
  /** Replicate deletions (the request field Harbor reads is the deprecated `deletion`). */
  replicateDeletion: boolean;
  /** Override resources at the destination. */
  override: boolean;
  /** Whether the policy is enabled. */
  enabled: boolean;
  /** Bandwidth limit per task in KB/s; 0 = unlimited (Harbor stores negative values as 0). */
  speed: number;
  /** Copy blobs in chunks. */
  copyByChunk: boolean;
  /** Skip a run while the previous one is still active (not allowed with event_based triggers). */
  singleActiveReplication: boolean;
  /** When the policy was created. */
  creationTime: Date;
  /** When the policy was last updated. */
  updateTime: Date;
}

/** A project's CVE allowlist. */
export interface StoredCveAllowlist {
  /** CVE ids, in the order sent. */
  items: string[];
  /** Expiry in seconds since the epoch; undefined = never. */
  expiresAt?: number;
  /** When the allowlist was last set. */
  updateTime: Date;
}

/** A project held by the simulator; `registryId` set makes it a proxy-cache project. */
export interface StoredProject {
  /** Project id (1 is the built-in `library`). */
  id: number;
  /** Project name. */
  name: string;
  /** Upstream registry id of a proxy-cache project; blocks deleting that registry (412) unless the project is deleted. */
  registryId?: number;
  /** Project metadata as Harbor stores it (string values; `public` is always set). */
  metadata: Record<string, string>;
  /** The project's CVE allowlist (set through PUT). */
  cveAllowlist: StoredCveAllowlist;
  /** Storage quota in bytes; -1 = unlimited. */
  storageLimit: number;
  /** Username of the creator (the project's owner). */
  ownerName: string;
  /** Soft-deleted: hidden from lists and no longer blocking registry deletion. */
  deleted: boolean;
  /** When the project was created. */
  creationTime: Date;
  /** When the project was last updated. */
  updateTime: Date;
}

/** A running simulator. */
export interface HarborSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no `/api/v2.0`). */
  readonly url: string;
  /** Always `admin`. */
  readonly username: "admin";
  /** The admin password. */
  readonly password: string;
  /** Origin → local URL of each running stand-in (empty unless started with `standIns: true`). */
  standIns: Record<string, string>;
  /** Stops listening and closes open connections (and the stand-ins). */
  close(): Promise<void>;
  /** Adds a fault; faults are matched in the order added. */
  inject(fault: SimulatorFault): void;
  /** Removes every pending fault. */
  clearFaults(): void;
  /** Request log, oldest first. */
  readonly requests: SimulatorRequest[];
  /** Empties the request log. */
  resetRequests(): void;
  /** The stored registry with its real secret, or undefined. */
  storedRegistry(id: number): StoredRegistry | undefined;
  /** Every stored registry (ids ascending). */
  storedRegistries(): StoredRegistry[];
  /** Stores a manual, enabled replication policy referencing registries without HTTP (no validation); returns its id. */
  addReplicationPolicy(policy: Pick<StoredPolicy, "name" | "srcRegistryId" | "destRegistryId">): number;
  /** The stored replication policy, or undefined. */
  storedReplicationPolicy(id: number): StoredPolicy | undefined;
  /** The stored project (soft-deleted ones included), or undefined. */
  storedProject(id: number): StoredProject | undefined;
  /** Stores a project (a proxy-cache project when `registryId` is set) without HTTP; returns its id. */
  addProject(project: Pick<StoredProject, "name" | "registryId">): number;
  /** Switches Harbor's read-only mode at run time. */
  setReadOnly(readOnly: boolean): void;
  /** Load figures since the start: the most requests in progress at once, and how many the rate limit refused. */
  stats(): SimulatorStats;
}

/** What {@link HarborSimulator.stats} reports. */
export interface SimulatorStats {
  /** The most requests being handled at the same moment. */
  maxConcurrentRequests: number;
  /** Requests answered 429 by the rate limit. */
  rateLimited: number;
}

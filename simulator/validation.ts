// Request binding as go-swagger does it (422 texts), Harbor's body models as zod schemas, and CA-bundle validation.
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { queryParam } from "./query";
import { validationFailure } from "./responses";

/** Go field kinds used by the request models. */
type GoKind =
  | "string" | "bool" | "int8" | "int32" | "int64" | "date-time"
  /** `interface{}`: any JSON value. */
  | "any"
  | { struct: string; fields: Record<string, GoKind> }
  /** A slice of the element kind (`[]*models.X` for struct elements). */
  | { array: GoKind };

const CREDENTIAL: GoKind = { struct: "RegistryCredential", fields: { type: "string", access_key: "string", access_secret: "string" } };

const REGISTRY_GO_FIELDS: Record<string, GoKind> = {
  id: "int64", url: "string", name: "string", credential: CREDENTIAL, type: "string", insecure: "bool",
  ca_certificate: "string", description: "string", status: "string", creation_time: "date-time", update_time: "date-time",
};
const REGISTRY: GoKind = { struct: "Registry", fields: REGISTRY_GO_FIELDS };

/** The string fields of swagger's `ProjectMetadata`, in its order. */
export const PROJECT_METADATA_KEYS = [
  "public", "enable_content_trust", "enable_content_trust_cosign", "prevent_vul", "severity", "auto_scan", "auto_sbom_generation",
  "reuse_sys_cve_allowlist", "retention_id", "proxy_speed_kb", "max_upstream_conn", "proxy_cache_local_on_not_found",
  "proxy_referrer_api", "proxy_cache_filter_pattern", "proxy_cache_filter_kind",
] as const;

/** Go field tables of the request bodies (what encoding/json checks before go-swagger's Validate()). */
const MODELS: Record<string, Record<string, GoKind>> = {
  Registry: REGISTRY_GO_FIELDS,
  RegistryUpdate: {
    name: "string", description: "string", url: "string", credential_type: "string", access_key: "string",
    access_secret: "string", insecure: "bool", ca_certificate: "string",
  },
  RegistryPing: {
    id: "int64", type: "string", url: "string", credential_type: "string", access_key: "string", access_secret: "string",
    insecure: "bool", ca_certificate: "string",
  },
  ReplicationPolicy: {
    id: "int64", name: "string", description: "string", src_registry: REGISTRY, dest_registry: REGISTRY, dest_namespace: "string",
    dest_namespace_replace_count: "int8",
    trigger: {
      struct: "ReplicationTrigger",
      fields: { type: "string", trigger_settings: { struct: "ReplicationTriggerSettings", fields: { cron: "string" } } },
    },
    filters: { array: { struct: "ReplicationFilter", fields: { type: "string", value: "any", decoration: "string" } } },
    replicate_deletion: "bool", deletion: "bool", override: "bool", enabled: "bool", creation_time: "date-time",
    update_time: "date-time", speed: "int32", copy_by_chunk: "bool", single_active_replication: "bool",
  },
  ProjectReq: {
    project_name: "string", public: "bool",
    metadata: { struct: "ProjectMetadata", fields: Object.fromEntries(PROJECT_METADATA_KEYS.map((k): [string, GoKind] => [k, "string"])) },
    cve_allowlist: {
      struct: "CVEAllowlist",
      fields: {
        id: "int64", project_id: "int64", expires_at: "int64", items: { array: { struct: "CVEAllowlistItem", fields: { cve_id: "string" } } },
        creation_time: "date-time", update_time: "date-time",
      },
    },
    storage_limit: "int64", registry_id: "int64",
  },
};

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

const INT_RANGES: Record<"int8" | "int32" | "int64", [number, number]> = {
  int8: [-128, 127],
  int32: [-2147483648, 2147483647],
  // Doubles cannot hold every int64; these bounds only reject what Go could not decode either.
  int64: [-9223372036854775808, 9223372036854775807],
};

/** Go's type name of a field kind in encoding/json errors. */
function goTypeName(kind: GoKind): string {
  if (typeof kind === "string") return kind === "date-time" ? "strfmt.DateTime" : kind === "any" ? "interface {}" : kind;
  if ("struct" in kind) return `models.${kind.struct}`;
  return `[]${typeof kind.array === "object" && "struct" in kind.array ? "*" : ""}${goTypeName(kind.array)}`;
}

/** encoding/json's UnmarshalTypeError text for one value of `kind` at `where` (JSON null always decodes), or undefined. */
function goValueError(v: unknown, kind: GoKind, where: string): string | undefined {
  if (v === undefined || v === null || kind === "any") return undefined;
  const err = (goType: string, desc = jsonKind(v)) => `json: cannot unmarshal ${desc} into Go struct field ${where} of type ${goType}`;
  if (typeof kind === "object") {
    if ("array" in kind) {
      if (!Array.isArray(v)) return err(goTypeName(kind));
      for (const item of v) {
        const inner = goValueError(item, kind.array, where);
        if (inner) return inner;
      }
      return undefined;
    }
    if (jsonKind(v) !== "object") return err(goTypeName(kind));
    return goTypeError(v as Record<string, unknown>, kind.fields, where);
  }
  if (kind === "string" || kind === "date-time") {
    if (typeof v !== "string") return err(goTypeName(kind));
    if (kind === "date-time" && Number.isNaN(Date.parse(v))) return `parsing time "${v}" as date-time failed`;
  } else if (kind === "bool") {
    if (typeof v !== "boolean") return err("bool");
  } else {
    if (typeof v !== "number") return err(kind);
    const [min, max] = INT_RANGES[kind];
    if (!Number.isInteger(v) || v < min || v > max) return err(kind, `number ${v}`);
  }
  return undefined;
}

/** encoding/json's UnmarshalTypeError text for the first mismatching field, or undefined. */
function goTypeError(value: Record<string, unknown>, fields: Record<string, GoKind>, path: string): string | undefined {
  for (const [key, kind] of Object.entries(fields)) {
    const inner = goValueError(value[key], kind, `${path}.${key}`);
    if (inner) return inner;
  }
  return undefined;
}

/** Go's description of a JSON syntax error. */
function goSyntaxError(text: string): string {
  try {
    JSON.parse(text);
    return "";
  } catch {
    const trimmed = text.trim();
    if (trimmed.length > 4096) return "invalid character looking for beginning of value";
    for (let end = trimmed.length; end > 0; end--) {
      try {
        JSON.parse(trimmed.slice(0, end));
        const c = trimmed[end] ?? "";
        return c ? `invalid character '${c}' after top-level value` : "unexpected end of JSON input";
      } catch {
        // keep shrinking to find the longest valid prefix
      }
    }
    const first = trimmed[0];
    if (first && !/[\[{"\-0-9tfn]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
    return "unexpected end of JSON input";
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** encoding/json decodes an unpaired surrogate escape (`"\ud800"`) as U+FFFD; JSON.parse keeps it. */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\uFFFD");
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(wellFormed(k)), wellFormed(v)]));
  }
  return value;
}

/** The raw request data needed for binding. */
export interface RawBody {
  /** The request's Content-Type header, if any. */
  contentType: string | undefined;
  /** The body text ("" when there was none). */
  text: string;
}

/**
 * go-swagger's body binding: unsupported media type, required body, JSON syntax and Go type errors → 422.
 * `param` is the spec's body parameter name (`registry`, `policy`, `project`), `model` the Go model name.
 * Returns the decoded object.
 */
export function bindBody(raw: RawBody, param: string, model: keyof typeof MODELS, extra: string[] = []): Record<string, unknown> {
  const details = [...extra];
  const hasBody = raw.text.length > 0;
  if (hasBody) {
    // go-openapi checks the media type only when a body is present; a missing header reads as octet-stream.
    const mediaType = (raw.contentType ?? "application/octet-stream").split(";")[0]!.trim().toLowerCase();
    if (mediaType !== "application/json") {
      details.push(`unsupported media type "${mediaType}", only [application/json] are allowed`);
      throw validationFailure(details);
    }
  }
  if (!hasBody || raw.text.trim() === "null") {
    details.push(`${param} in body is required`);
    throw validationFailure(details);
  }
  const syntax = goSyntaxError(raw.text);
  if (syntax) {
    details.push(`parsing ${param} body from "" failed, because ${syntax}`);
    throw validationFailure(details);
  }
  const value: unknown = wellFormed(JSON.parse(raw.text));
  if (jsonKind(value) !== "object") {
    details.push(`parsing ${param} body from "" failed, because json: cannot unmarshal ${jsonKind(value)} into Go value of type models.${model}`);
    throw validationFailure(details);
  }
  const typeError = goTypeError(value as Record<string, unknown>, MODELS[model]!, model);
  if (typeError) {
    details.push(`parsing ${param} body from "" failed, because ${typeError}`);
    throw validationFailure(details);
  }
  if (details.length > 0) throw validationFailure(details);
  return value as Record<string, unknown>;
}

/** Go strconv.ParseInt(s, 10, 64). */
export function parseInt64(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A path `{id}` bound as int64; returns the 422 detail when invalid. */
export function pathIdError(raw: string): string | undefined {
  return parseInt64(raw) === undefined ? `id in path must be of type int64: "${raw}"` : undefined;
}

/** Pagination parameters after binding. */
export interface PageParams {
  /** 1-based page number. */
  page: number;
  /** Rows per page; 0 or less means all rows. */
  pageSize: number;
}

/** Binds `page`/`page_size` (defaults 1/10, max 100; last occurrence wins, empty = default) and collects the 422 details. */
export function bindPage(query: URLSearchParams, details: string[]): PageParams {
  let page = 1;
  let pageSize = 10;
  const rawPage = queryParam(query, "page");
  if (rawPage !== null) {
    const n = parseInt64(rawPage);
    if (n === undefined) details.push(`page in query must be of type int64: "${rawPage}"`);
    else page = n;
  }
  const rawSize = queryParam(query, "page_size");
  if (rawSize !== null) {
    const n = parseInt64(rawSize);
    if (n === undefined) details.push(`page_size in query must be of type int64: "${rawSize}"`);
    else if (n > 100) details.push("page_size in query should be less than or equal to 100");
    else pageSize = n;
  }
  return { page, pageSize };
}

const optString = z.string().nullish();
const optBool = z.boolean().nullish();

/** POST /registries body (fields Harbor reads). */
export const registryCreateBody = z.object({
  name: optString,
  type: optString,
  url: optString,
  description: optString,
  insecure: optBool,
  ca_certificate: optString,
  credential: z.object({ type: optString, access_key: optString, access_secret: optString }).nullish(),
});
/** Decoded POST /registries body. */
export type RegistryCreateBody = z.infer<typeof registryCreateBody>;

/** PUT /registries/{id} body: every field nullable, absent = unchanged. */
export const registryUpdateBody = z.object({
  name: optString,
  description: optString,
  url: optString,
  credential_type: optString,
  access_key: optString,
  access_secret: optString,
  insecure: optBool,
  ca_certificate: optString,
});
/** Decoded PUT /registries/{id} body. */
export type RegistryUpdateBody = z.infer<typeof registryUpdateBody>;

/** POST /registries/ping body. */
export const registryPingBody = registryUpdateBody.omit({ name: true, description: true }).extend({
  id: z.number().int().nullish(),
  type: optString,
});
/** Decoded POST /registries/ping body. */
export type RegistryPingBody = z.infer<typeof registryPingBody>;

/** POST/PUT /replication/policies body: every field Harbor's handler reads (the registries by id only). */
export const policyBody = z.object({
  name: optString,
  description: optString,
  src_registry: z.object({ id: z.number().int().nullish() }).nullish(),
  dest_registry: z.object({ id: z.number().int().nullish() }).nullish(),
  dest_namespace: optString,
  dest_namespace_replace_count: z.number().int().nullish(),
  trigger: z.object({ type: optString, trigger_settings: z.object({ cron: optString }).nullish() }).nullish(),
  filters: z.array(z.object({ type: optString, value: z.unknown().optional(), decoration: optString }).nullable()).nullish(),
  replicate_deletion: optBool,
  deletion: optBool,
  override: optBool,
  enabled: optBool,
  speed: z.number().int().nullish(),
  copy_by_chunk: optBool,
  single_active_replication: optBool,
});
/** Decoded replication policy body. */
export type PolicyBody = z.infer<typeof policyBody>;

/** POST/PUT /projects body (ProjectReq). */
export const projectBody = z.object({
  project_name: optString,
  public: optBool,
  metadata: z.object(Object.fromEntries(PROJECT_METADATA_KEYS.map((k) => [k, optString])) as Record<(typeof PROJECT_METADATA_KEYS)[number], typeof optString>).nullish(),
  cve_allowlist: z
    .object({
      project_id: z.number().int().nullish(),
      expires_at: z.number().int().nullish(),
      items: z.array(z.object({ cve_id: optString }).nullable()).nullish(),
    })
    .nullish(),
  storage_limit: z.number().int().nullish(),
  registry_id: z.number().int().nullish(),
});
/** Decoded ProjectReq body. */
export type ProjectBody = z.infer<typeof projectBody>;

/** commonhttp.ValidateCACertificate: "" is fine; otherwise ≥1 CERTIFICATE block that parses. Returns the 400 message. */
export function caCertificateError(pem: string): string | undefined {
  if (pem === "") return undefined;
  const normalised = pem.replace(/\r\n/g, "\n").trim();
  const blocks = [...normalised.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  if (blocks.length === 0) return "invalid CA certificate: no PEM certificate block found";
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return "invalid CA certificate: failed to parse certificate";
    }
  }
  return undefined;
}

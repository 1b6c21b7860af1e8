// Harbor /api/v2.0 wire models (snake_case, as in Harbor's swagger.yaml) as zod schemas and their inferred types.
import { z } from "zod";

/** `RegistryCredential`: how Harbor authenticates to the remote registry. GET returns `access_secret` as `"*****"`. */
export const HarborRegistryCredentialSchema = z.object({
  /** `"basic"` (Harbor's default), `"oauth"` or `"secret"`; Harbor does not validate it. */
  type: z.string().optional(),
  access_key: z.string().optional(),
  access_secret: z.string().optional(),
});
/** Inferred type of {@link HarborRegistryCredentialSchema}. */
export type HarborRegistryCredential = z.infer<typeof HarborRegistryCredentialSchema>;

/** `Registry` as GET returns it; optional fields are omitted by Harbor when empty/false. */
export const HarborRegistrySchema = z.object({
  id: z.number().int(),
  url: z.string(),
  name: z.string(),
  // A registry without a stored access_key has `"credential":{}`; tolerate it being absent too.
  credential: HarborRegistryCredentialSchema.optional(),
  type: z.string(),
  insecure: z.boolean().optional(),
  // x-nullable in the spec and absent before Harbor v2.15.0.
  ca_certificate: z.string().nullish(),
  description: z.string().optional(),
  status: z.string().optional(),
  creation_time: z.string(),
  update_time: z.string(),
});
/** Inferred type of {@link HarborRegistrySchema}. */
export type HarborRegistry = z.infer<typeof HarborRegistrySchema>;

/** Body of `POST /registries`; Harbor ignores `id`, `status` and the timestamps, so they are not sent. */
export const HarborRegistryCreateSchema = z.object({
  name: z.string(),
  type: z.string(),
  url: z.string(),
  description: z.string().optional(),
  insecure: z.boolean().optional(),
  ca_certificate: z.string().optional(),
  credential: HarborRegistryCredentialSchema.optional(),
});
/** Inferred type of {@link HarborRegistryCreateSchema}. */
export type HarborRegistryCreate = z.infer<typeof HarborRegistryCreateSchema>;

/** Flat `RegistryUpdate` body of `PUT /registries/{id}`; an absent field is left unchanged. There is no `type`. */
export const HarborRegistryUpdateSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  url: z.string().optional(),
  credential_type: z.string().optional(),
  access_key: z.string().optional(),
  access_secret: z.string().optional(),
  insecure: z.boolean().optional(),
  ca_certificate: z.string().optional(),
});
/** Inferred type of {@link HarborRegistryUpdateSchema}. */
export type HarborRegistryUpdate = z.infer<typeof HarborRegistryUpdateSchema>;

/** `RegistryPing` body of `POST /registries/ping`; with `id`, Harbor (after v2.15.2) ignores `url`/`insecure`/`ca_certificate`. */
export const HarborRegistryPingSchema = z.object({
  id: z.number().int().optional(),
  type: z.string().optional(),
  // Harbor's RegistryPing carries the same connection fields as RegistryUpdate (swagger.yaml).
  ...HarborRegistryUpdateSchema.omit({ name: true, description: true }).shape,
});
/** Inferred type of {@link HarborRegistryPingSchema}. */
export type HarborRegistryPing = z.infer<typeof HarborRegistryPingSchema>;

/** `FilterStyle` of a `RegistryInfo`; Harbor serialises nil arrays as `null`. */
export const HarborFilterStyleSchema = z.looseObject({
  type: z.string().optional(),
  style: z.string().optional(),
  values: z.array(z.string()).nullish(),
});
/** Inferred type of {@link HarborFilterStyleSchema}. */
export type HarborFilterStyle = z.infer<typeof HarborFilterStyleSchema>;

/** `RegistryInfo` of `GET /registries/{id}/info`. */
export const HarborRegistryInfoSchema = z.looseObject({
  type: z.string().optional(),
  description: z.string().optional(),
  supported_resource_filters: z.array(HarborFilterStyleSchema).nullish(),
  supported_triggers: z.array(z.string()).nullish(),
  supported_copy_by_chunk: z.boolean().optional(),
});
/** Inferred type of {@link HarborRegistryInfoSchema}. */
export type HarborRegistryInfo = z.infer<typeof HarborRegistryInfoSchema>;

/** `RegistryProviderInfo`: one value of the `GET /replication/adapterinfos` map. */
export const HarborRegistryProviderInfoSchema = z.looseObject({
  endpoint_pattern: z
    .looseObject({
      endpoint_type: z.string().optional(),
      endpoints: z.array(z.looseObject({ key: z.string().optional(), value: z.string().optional() })).nullish(),
    })
    .nullish(),
  credential_pattern: z
    .looseObject({
      access_key_type: z.string().optional(),
      access_key_data: z.string().optional(),
      access_secret_type: z.string().optional(),
      access_secret_data: z.string().optional(),
    })
    .nullish(),
});
/** Inferred type of {@link HarborRegistryProviderInfoSchema}. */
export type HarborRegistryProviderInfo = z.infer<typeof HarborRegistryProviderInfoSchema>;

/** Body of `GET /replication/adapterinfos`: adapter type → provider info. */
export const HarborRegistryProviderInfosSchema = z.record(z.string(), HarborRegistryProviderInfoSchema);
/** Inferred type of {@link HarborRegistryProviderInfosSchema}. */
export type HarborRegistryProviderInfos = z.infer<typeof HarborRegistryProviderInfosSchema>;

/** Body of `GET /replication/adapters`. */
export const HarborRegistryProviderTypesSchema = z.array(z.string());

/** `GeneralInfo` of `GET /systeminfo`; `harbor_version` is only present for authenticated callers. */
export const HarborSystemInfoSchema = z.looseObject({
  harbor_version: z.string().optional(),
  auth_mode: z.string().optional(),
  primary_auth_mode: z.boolean().optional(),
  read_only: z.boolean().optional(),
  external_url: z.string().optional(),
  registry_url: z.string().optional(),
  has_ca_root: z.boolean().optional(),
  current_time: z.string().optional(),
});
/** Inferred type of {@link HarborSystemInfoSchema}. */
export type HarborSystemInfo = z.infer<typeof HarborSystemInfoSchema>;

const RegistryReferenceSchema = z.looseObject({ id: z.number().int() });

/** `ReplicationPolicy`, reduced to what explains a 412 on delete; other fields pass through. */
export const HarborReplicationPolicySchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  src_registry: RegistryReferenceSchema.nullish(),
  dest_registry: RegistryReferenceSchema.nullish(),
});
/** Inferred type of {@link HarborReplicationPolicySchema}. */
export type HarborReplicationPolicy = z.infer<typeof HarborReplicationPolicySchema>;

/** `Project`, reduced to what explains a 412 on delete; `registry_id` is set for proxy-cache projects. */
export const HarborProjectSchema = z.looseObject({
  project_id: z.number().int(),
  name: z.string(),
  registry_id: z.number().int().nullish(),
});
/** Inferred type of {@link HarborProjectSchema}. */
export type HarborProject = z.infer<typeof HarborProjectSchema>;

/**
 * One entry of `GET /users/current/permissions` (swagger `Permission`). Harbor lists a system policy's resource bare
 * (`registry`, not `/system/registry`) when `relative` is false.
 */
export const HarborPermissionSchema = z.looseObject({
  resource: z.string().optional(),
  action: z.string().optional(),
});
/** Inferred type of {@link HarborPermissionSchema}. */
export type HarborPermission = z.infer<typeof HarborPermissionSchema>;

/** The answer of `GET /users/current/permissions`: always an array (go-swagger sends `[]` for none). */
export const HarborPermissionsSchema = z.array(HarborPermissionSchema);

/** One entry of Harbor's error envelope. */
export const HarborErrorSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
});
/** Inferred type of {@link HarborErrorSchema}. */
export type HarborError = z.infer<typeof HarborErrorSchema>;

/** Harbor's error envelope `{"errors":[{"code","message"}]}` sent with every 4xx/5xx. */
export const HarborErrorsSchema = z.object({ errors: z.array(HarborErrorSchema) });
/** Inferred type of {@link HarborErrorsSchema}. */
export type HarborErrors = z.infer<typeof HarborErrorsSchema>;

// Same-named value exports, so `HarborRegistry.parse(x)` and `type X = HarborRegistry` both work.
/** Schema alias of {@link HarborRegistrySchema}. */
export const HarborRegistry = HarborRegistrySchema;
/** Schema alias of {@link HarborRegistryCreateSchema}. */
export const HarborRegistryCreate = HarborRegistryCreateSchema;
/** Schema alias of {@link HarborRegistryUpdateSchema}. */
export const HarborRegistryUpdate = HarborRegistryUpdateSchema;
/** Schema alias of {@link HarborRegistryPingSchema}. */
export const HarborRegistryPing = HarborRegistryPingSchema;
/** Schema alias of {@link HarborRegistryInfoSchema}. */
export const HarborRegistryInfo = HarborRegistryInfoSchema;
/** Schema alias of {@link HarborRegistryProviderInfoSchema}. */
export const HarborRegistryProviderInfo = HarborRegistryProviderInfoSchema;
/** Schema alias of {@link HarborSystemInfoSchema}. */
export const HarborSystemInfo = HarborSystemInfoSchema;
/** Schema alias of {@link HarborReplicationPolicySchema}. */
export const HarborReplicationPolicy = HarborReplicationPolicySchema;
/** Schema alias of {@link HarborProjectSchema}. */
export const HarborProject = HarborProjectSchema;
/** Schema alias of {@link HarborErrorsSchema}. */
export const HarborErrors = HarborErrorsSchema;

/**
 * Reads Harbor's error envelope from a response body; tolerates bodies that are not JSON (a proxy's HTML page).
 * Returns the first code (or `"UNKNOWN"`), every non-empty message, and whether the body was Harbor's envelope at all.
 */
export function parseHarborErrors(bodyText: string): { code: string; messages: string[]; harbor: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { code: "UNKNOWN", messages: [], harbor: false };
  }
  const parsed = HarborErrorsSchema.safeParse(json);
  if (!parsed.success) return { code: "UNKNOWN", messages: [], harbor: false };
  const code = parsed.data.errors.find((e) => e.code && e.code.length > 0)?.code ?? "UNKNOWN";
  const messages = parsed.data.errors.map((e) => e.message ?? "").filter((m) => m.length > 0);
  return { code, messages, harbor: parsed.data.errors.length > 0 };
}

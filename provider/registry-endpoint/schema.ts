// The RegistryEndpoint input vocabulary: zod schemas for inputs and stored state, provider types, aliases and fixed endpoints.
import { z } from "zod";

/** The value the Pulumi engine sends, in any field and whatever its declared type, for a value not yet known (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is the engine's unknown-value sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Harbor's registry adapter types (`Registry.type`), spelled exactly as Harbor stores them. */
export const REGISTRY_PROVIDER_TYPES = [
  "harbor",
  "docker-hub",
  "docker-registry",
  "aws-ecr",
  "azure-acr",
  "ali-acr",
  "google-gcr",
  "huawei-SWR",
  "helm-hub",
  "gitlab",
  "quay",
  "jfrog-artifactory",
  "github-ghcr",
  "tencent-tcr",
  "volcengine-cr",
  "dtr",
] as const;

/** One of Harbor's registry adapter types. */
export type RegistryProviderType = (typeof REGISTRY_PROVIDER_TYPES)[number];

/** Terraform (`goharbor/harbor`) and pulumiverse spellings of provider types, mapped to Harbor's type strings by `check`. */
export const REGISTRY_PROVIDER_ALIASES = {
  aws: "aws-ecr",
  azure: "azure-acr",
  alibaba: "ali-acr",
  google: "google-gcr",
  huawei: "huawei-SWR",
  helm: "helm-hub",
  jfrog: "jfrog-artifactory",
  github: "github-ghcr",
  "quay-io": "quay",
} as const satisfies Record<string, RegistryProviderType>;

/** A Terraform/pulumiverse alias of a provider type. */
export type RegistryProviderAlias = keyof typeof REGISTRY_PROVIDER_ALIASES;

/** Provider types whose endpoint is fixed by Harbor's adapter (`EndpointPatternTypeFix`); `check` fills the URL in. */
export const FIXED_ENDPOINTS: Partial<Record<RegistryProviderType, string>> = {
  "docker-hub": "https://hub.docker.com",
  "github-ghcr": "https://ghcr.io",
};

/** How `check` decides whether to run Harbor's connection test (`POST /registries/ping`). */
export const CONNECTION_TEST_MODES = ["onChange", "always", "never"] as const;

/** `onChange` (default): test new endpoints and changed connection fields; `always`: every check; `never`: no test. */
export type ConnectionTestMode = (typeof CONNECTION_TEST_MODES)[number];

/** Maps an alias to Harbor's type string; Harbor types and unrecognised strings come back unchanged. */
export function canonicalProviderName(name: string): string {
  return (REGISTRY_PROVIDER_ALIASES as Record<string, string>)[name] ?? name;
}

const providerNameSchema = z.enum([
  ...REGISTRY_PROVIDER_TYPES,
  ...(Object.keys(REGISTRY_PROVIDER_ALIASES) as RegistryProviderAlias[]),
], {
  error: () =>
    `must be one of Harbor's provider types (${REGISTRY_PROVIDER_TYPES.join(", ")}) or an alias (${Object.keys(REGISTRY_PROVIDER_ALIASES).join(", ")})`,
});

/** Harbor limits `name` to 64 bytes (`the max length of name is 64`; varchar(64)), counted as UTF-8 bytes like Go's len(). */
const nameSchema = z
  .string({ error: "must be a string" })
  .refine((s) => s.length > 0, { message: "must not be empty (Harbor rejects an empty name)" })
  .refine((s) => Buffer.byteLength(s, "utf8") <= 64, { message: "must be at most 64 bytes long (Harbor's limit)" });

/**
 * The resource's inputs as the user writes them (before `check` normalises them). This is the single source of the
 * input types: `RegistryEndpointArgs` in the SDK is checked against `z.input<typeof registryEndpointInputsSchema>`.
 * Cross-field rules (fixed endpoints, credential shapes, PEM) live in `check.ts` because they need the other fields.
 */
export const registryEndpointInputsSchema = z.object({
  providerName: providerNameSchema,
  name: nameSchema,
  description: z.string({ error: "must be a string" }).optional(),
  endpointUrl: z.string({ error: "must be a string" }).optional(),
  accessId: z.string({ error: "must be a string" }).optional(),
  accessSecret: z.string({ error: "must be a string" }).optional(),
  insecure: z.boolean({ error: "must be a boolean" }).optional(),
  caCertificate: z.string({ error: "must be a string" }).optional(),
  adopt: z.boolean({ error: "must be a boolean" }).optional(),
  connectionTest: z.enum(CONNECTION_TEST_MODES, { error: () => `must be one of ${CONNECTION_TEST_MODES.join(", ")}` }).optional(),
});

/** The inputs as a user may write them (aliases allowed, URL not yet normalised). */
export type RegistryEndpointInputsIn = z.input<typeof registryEndpointInputsSchema>;

/** Every input key, in the order they are documented. */
export const INPUT_KEYS = Object.keys(registryEndpointInputsSchema.shape) as (keyof RegistryEndpointInputsIn)[];

/**
 * Inputs after `check`: provider type canonical, URL normalised, defaults applied. Any field may still hold the
 * unknown sentinel during preview, which is why consumers go through `isUnknown` before trusting a value.
 */
export interface RegistryEndpointInputs {
  providerName: RegistryProviderType;
  name: string;
  description?: string;
  endpointUrl: string;
  accessId?: string;
  accessSecret?: string;
  insecure: boolean;
  caCertificate?: string;
  adopt: boolean;
  connectionTest?: ConnectionTestMode;
}

/** The schema version written into every state this release produces (`stateVersion` output). */
export const STATE_VERSION = 1;

/**
 * Stored outputs, parsed leniently: every release must read what older releases wrote, so every field is optional,
 * unknown keys pass through and wrong types are dropped instead of failing.
 */
export const registryEndpointStateSchema = z.looseObject({
  stateVersion: z.number().optional().catch(undefined),
  providerName: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  endpointUrl: z.string().optional().catch(undefined),
  accessId: z.string().optional().catch(undefined),
  accessSecret: z.string().optional().catch(undefined),
  insecure: z.boolean().optional().catch(undefined),
  caCertificate: z.string().optional().catch(undefined),
  adopt: z.boolean().optional().catch(undefined),
  connectionTest: z.enum(CONNECTION_TEST_MODES).optional().catch(undefined),
  registryId: z.number().optional().catch(undefined),
  status: z.string().optional().catch(undefined),
  creationTime: z.string().optional().catch(undefined),
  updateTime: z.string().optional().catch(undefined),
  lastWriteTime: z.string().optional().catch(undefined),
  credentialsDriftSuspected: z.boolean().optional().catch(undefined),
});

/** Stored outputs of a RegistryEndpoint (any release), see `registryEndpointStateSchema`. */
export type RegistryEndpointState = z.infer<typeof registryEndpointStateSchema>;

/** Outputs this release writes: every normalised input plus what Harbor computed. */
export interface RegistryEndpointOutputs {
  stateVersion: number;
  providerName: string;
  name: string;
  description?: string;
  endpointUrl: string;
  accessId?: string;
  accessSecret?: string;
  insecure: boolean;
  caCertificate?: string;
  adopt: boolean;
  connectionTest?: ConnectionTestMode;
  registryId: number;
  status?: string;
  creationTime?: string;
  updateTime?: string;
  /** Harbor's `update_time` right after this provider's last create/update: the baseline for credential drift. */
  lastWriteTime?: string;
  /** Set by `read` when Harbor's record changed after our last write; the next `up` re-sends the secret. */
  credentialsDriftSuspected?: boolean;
}

/** Parses stored outputs leniently (never throws); a non-object yields an empty state. */
export function parseState(raw: unknown): RegistryEndpointState {
  const r = registryEndpointStateSchema.safeParse(raw ?? {});
  return r.success ? r.data : {};
}

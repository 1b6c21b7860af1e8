// The RegistryEndpoint input vocabulary: zod schemas for inputs, outputs and stored state, provider types, aliases and fixed endpoints.
import { z } from "zod";
import {
  UNKNOWN,
  isUnknown,
  REGISTRY_PROVIDER_TYPES,
  type RegistryProviderType,
  REGISTRY_PROVIDER_ALIASES,
  type RegistryProviderAlias,
  FIXED_ENDPOINTS,
  CONNECTION_TEST_MODES,
  type ConnectionTestMode,
  CONNECTION_NAME_PATTERN,
  DEFAULT_CONNECTION,
  canonicalProviderName,
} from "./vocabulary";

export {
  UNKNOWN,
  isUnknown,
  REGISTRY_PROVIDER_TYPES,
  type RegistryProviderType,
  REGISTRY_PROVIDER_ALIASES,
  type RegistryProviderAlias,
  FIXED_ENDPOINTS,
  CONNECTION_TEST_MODES,
  type ConnectionTestMode,
  CONNECTION_NAME_PATTERN,
  DEFAULT_CONNECTION,
  canonicalProviderName,
} from "./vocabulary";

const providerNameSchema = z.enum([
  ...REGISTRY_PROVIDER_TYPES,
  ...(Object.keys(REGISTRY_PROVIDER_ALIASES) as RegistryProviderAlias[]),
], {
  error: (issue) =>
    issue.input === "artifact-hub"
      ? ARTIFACT_HUB_REASON
      : `must be one of Harbor's provider types (${REGISTRY_PROVIDER_TYPES.join(", ")}) or an alias (${Object.keys(REGISTRY_PROVIDER_ALIASES).join(", ")})`,
});

/**
 * Terraform's `provider_name = "artifact-hub"` (and Harbor's type of that name up to v2.7), refused by name: Harbor
 * v2.8.0 removed the adapter, and this package does not declare it.
 */
const ARTIFACT_HUB_REASON =
  'is "artifact-hub", the Artifact Hub adapter that Harbor removed in v2.8.0 (together with ChartMuseum), so RegistryEndpoint does not support it; ' +
  "Harbor 2.8 and later replicate Helm charts as OCI artifacts: declare the OCI registry that serves the charts (e.g. providerName \"docker-registry\" or \"harbor\")";

/** Harbor limits `name` to 64 bytes (`the max length of name is 64`; varchar(64)), counted as UTF-8 bytes like Go's len(). */
const nameSchema = z
  .string({ error: "must be a string" })
  .refine((s) => s.length > 0, { message: "must not be empty (Harbor rejects an empty name)" })
  .refine((s) => Buffer.byteLength(s, "utf8") <= 64, {
    error: (issue) => {
      const text = typeof issue.input === "string" ? issue.input : "";
      const bytes = Buffer.byteLength(text, "utf8");
      const chars = [...text].length;
      const why = chars === bytes ? "" : ` (${chars} characters: Harbor counts bytes, and a non-ASCII character takes 2 to 4)`;
      return `is ${bytes} bytes long in UTF-8${why}; Harbor allows at most 64 bytes`;
    },
  });

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
  connection: z
    .string({ error: "must be a string" })
    .regex(CONNECTION_NAME_PATTERN, { message: 'must be a connection name: 1-63 letters, digits, "-" or "_", starting with a letter or digit' })
    .optional(),
});

/** The inputs as a user may write them (aliases allowed, URL not yet normalised). */
export type RegistryEndpointInputsIn = z.input<typeof registryEndpointInputsSchema>;

/** Every input key, in the order they are documented. */
export const INPUT_KEYS = Object.keys(registryEndpointInputsSchema.shape) as (keyof RegistryEndpointInputsIn)[];

/**
 * Inputs after `check`: provider type canonical, URL normalised, defaults applied. The schema describes the type;
 * `check` builds these values itself, because unknown values and cross-field rules need the other fields.
 */
export const registryEndpointCheckedInputsSchema = registryEndpointInputsSchema.extend({
  /** Aliases are mapped to Harbor's type string. */
  providerName: z.enum(REGISTRY_PROVIDER_TYPES),
  /** Normalised as Harbor stores it; filled in for types with a fixed endpoint. */
  endpointUrl: z.string(),
  /** Default `false` applied. */
  insecure: z.boolean(),
  /** Default `false` applied. */
  adopt: z.boolean(),
  /** Default `"default"` applied. */
  connection: z.string(),
});

/**
 * Inputs after `check` (see `registryEndpointCheckedInputsSchema`). Any field may still hold the unknown sentinel
 * during preview, which is why consumers go through `isUnknown` before trusting a value.
 */
export type RegistryEndpointInputs = z.output<typeof registryEndpointCheckedInputsSchema>;

/** The schema version written into every state this release produces (`stateVersion` output). */
export const STATE_VERSION = 1;

/** Outputs this release writes: every normalised input plus what Harbor computed. */
export const registryEndpointOutputsSchema = z.object({
  /** The `STATE_VERSION` of the release that wrote this state. */
  stateVersion: z.number(),
  ...registryEndpointCheckedInputsSchema.shape,
  // providerName and name are read back from Harbor's record, which is not re-validated against this release's rules.
  providerName: z.string(),
  name: z.string(),
  /** Harbor's `id` of the endpoint (also the resource id). */
  registryId: z.number(),
  /** Harbor's `status` (`healthy`, `unhealthy`, …). */
  status: z.string().optional(),
  /** Harbor's `creation_time`. */
  creationTime: z.string().optional(),
  /** Harbor's `update_time`. */
  updateTime: z.string().optional(),
  /** Harbor's `update_time` right after this provider's last create/update: the baseline for credential drift. */
  lastWriteTime: z.string().optional(),
  /** Set by `read` when Harbor's record changed after our last write; the next `up` re-sends the secret. */
  credentialsDriftSuspected: z.boolean().optional(),
});

/** Outputs this release writes, see `registryEndpointOutputsSchema`. */
export type RegistryEndpointOutputs = z.output<typeof registryEndpointOutputsSchema>;

/** A shape with every field optional and a value of the wrong type read as absent. */
type LenientShape<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.ZodCatch<z.ZodOptional<S[K]>> };

function lenientShape<S extends Record<string, z.ZodType>>(shape: S): LenientShape<S> {
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.optional().catch(undefined)])) as LenientShape<S>;
}

/**
 * Stored outputs, parsed leniently: every release must read what older releases wrote, so every field is optional,
 * unknown keys pass through and wrong types are dropped instead of failing.
 */
export const registryEndpointStateSchema = z.looseObject(lenientShape(registryEndpointOutputsSchema.shape));

/** Stored outputs of a RegistryEndpoint (any release), see `registryEndpointStateSchema`. */
export type RegistryEndpointState = z.infer<typeof registryEndpointStateSchema>;

/** Parses stored outputs leniently (never throws); a non-object yields an empty state. */
export function parseState(raw: unknown): RegistryEndpointState {
  const r = registryEndpointStateSchema.safeParse(raw ?? {});
  return r.success ? r.data : {};
}

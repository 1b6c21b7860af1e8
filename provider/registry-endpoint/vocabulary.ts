// The RegistryEndpoint vocabulary without zod: provider types, aliases, fixed endpoints, connection-test modes and
// connection names. The public declarations (sdk/types.ts) import only this module, so a user's `tsc` never reads zod.

/** The value the Pulumi engine sends, in any field and whatever its declared type, for a value not yet known (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is the engine's unknown-value sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/**
 * The input key under which the SDK hands the resource's logical name to `check` (the dynamic-provider host passes
 * no URN), for the guard against two resources of one program claiming one Harbor name. `check` consumes it: it never
 * reaches state, diff or Harbor.
 */
export const LOGICAL_NAME_KEY = "__logicalName";

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

/** Harbor connection names: 1–63 letters, digits, `-` and `_`, starting with a letter or digit (one config path segment). */
export const CONNECTION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** The connection an endpoint without a `connection` input uses, also for state written before connections existed. */
export const DEFAULT_CONNECTION = "default";

/** Maps an alias to Harbor's type string; Harbor types and unrecognised strings come back unchanged. */
export function canonicalProviderName(name: string): string {
  // Own keys only: "constructor" or "toString" must not resolve to Object.prototype's members.
  return Object.hasOwn(REGISTRY_PROVIDER_ALIASES, name) ? (REGISTRY_PROVIDER_ALIASES as Record<string, string>)[name]! : name;
}

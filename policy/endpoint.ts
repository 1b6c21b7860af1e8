// A RegistryEndpoint as the policy engine shows it (checked inputs, secrets unwrapped, unknowns during preview).
import { canonicalProviderName, FIXED_ENDPOINTS, isUnknown, type RegistryProviderType } from "../provider/registry-endpoint/schema";

/** The type token of `RegistryEndpoint` (`new dynamic.Resource(..., "harbor", "RegistryEndpoint")`). */
export const REGISTRY_ENDPOINT_TYPE = "pulumi-nodejs:dynamic/harbor:RegistryEndpoint";

/**
 * The engine's sentinels for values not known during preview, one per kind of value (`@pulumi/pulumi` and
 * `@pulumi/policy` use the same strings). A dynamic provider's unknowns arrive as the string one.
 */
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

function isUnknownSentinel(value: unknown): boolean {
  return isUnknown(value) || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

/**
 * `@pulumi/policy` wraps `props` in a proxy that throws its `UnknownValueError` when an unknown value is read, and
 * turns exactly that class into an advisory "can't run policy during preview" instead of a failed preview. The class
 * is recognised by shape, not `instanceof`: this package never loads `@pulumi/policy` at run time.
 */
function isPolicyUnknownValueError(e: unknown): e is Error {
  return e instanceof Error && "unknownTypeSentinel" in e && Array.isArray((e as { props?: unknown }).props);
}

/**
 * Thrown by a rule when its verdict depends on a value that is still unknown and the props were not wrapped by
 * `@pulumi/policy` (rules called directly, e.g. in tests). Under `@pulumi/policy`, the proxy's own error is rethrown
 * with the same message instead, so the engine reports an advisory note and never a violation.
 */
export class EndpointValueUnknownError extends Error {
  /** Brand for recognising the error across copies of this module. */
  readonly isEndpointValueUnknownError = true;
  /** The inputs still unknown. */
  readonly fields: readonly string[];

  constructor(message: string, fields: readonly string[]) {
    super(message);
    this.name = "EndpointValueUnknownError";
    this.fields = fields;
  }
}

/** One input as a rule sees it: known (possibly absent) or not yet known. */
export type FieldValue = { known: true; value: unknown } | { known: false; proxyError?: Error };

/** Reads one top-level input without ever throwing for an unknown value. */
export function readField(props: Record<string, unknown>, key: string): FieldValue {
  let value: unknown;
  try {
    value = props[key];
  } catch (e) {
    if (isPolicyUnknownValueError(e)) return { known: false, proxyError: e };
    throw e;
  }
  return isUnknownSentinel(value) ? { known: false } : { known: true, value };
}

/** What every rule needs of one endpoint. */
export interface EndpointInPolicy {
  /** The resource's logical name in the program. */
  logicalName: string;
  /** The resource's URN (stack policies report against it). */
  urn: string;
  /** Reads one input, see {@link readField}. */
  field(key: string): FieldValue;
  /** "registry endpoint "<Harbor name>" (resource "<logical name>")", for messages. */
  label: string;
}

/** The fields a policy engine passes for one resource, resource and stack policies alike. */
export interface ResourceInPolicy {
  type: string;
  props: Record<string, unknown>;
  name: string;
  urn: string;
}

/** The endpoint behind `resource`, or undefined when the resource is not a `RegistryEndpoint`. */
export function registryEndpointOf(resource: ResourceInPolicy): EndpointInPolicy | undefined {
  if (resource.type !== REGISTRY_ENDPOINT_TYPE) return undefined;
  const props = resource.props;
  const harborName = readField(props, "name");
  const label =
    harborName.known && typeof harborName.value === "string"
      ? `registry endpoint ${JSON.stringify(harborName.value)} (resource ${JSON.stringify(resource.name)})`
      : `registry endpoint (resource ${JSON.stringify(resource.name)}, Harbor name not yet known)`;
  return { logicalName: resource.name, urn: resource.urn, field: (key) => readField(props, key), label };
}

/** "<what> cannot be checked until known; …": the note shown for a verdict that needs unknown values. */
export function cannotCheckUntilKnownMessage(what: string): string {
  return `${what} cannot be checked until known; the rule checks again during \`pulumi up\`, when the values are known`;
}

/** The inputs a {@link cannotCheckUntilKnown} error is about (kept on the error, whichever class it is). */
export function uncheckableFields(e: Error): readonly string[] {
  return (e as { uncheckableFields?: readonly string[] }).uncheckableFields ?? [];
}

/**
 * The error a rule throws when its verdict needs `fields` and at least one is unknown: the value "cannot be checked
 * until known", which the engine shows as an advisory note during preview (the rule runs again with the real value
 * during `pulumi up`). Never a violation.
 */
export function cannotCheckUntilKnown(endpointLabel: string, fields: readonly string[], unknowns: readonly FieldValue[]): Error {
  const message = cannotCheckUntilKnownMessage(`${endpointLabel}: ${fields.join(" and ")}`);
  const proxyError = unknowns.map((u) => (u.known ? undefined : u.proxyError)).find((e) => e !== undefined);
  const error = proxyError ?? new EndpointValueUnknownError(message, fields);
  error.message = message;
  Object.assign(error, { uncheckableFields: fields });
  return error;
}

/**
 * The known values of `keys`, or a thrown {@link cannotCheckUntilKnown} naming every one of them that is unknown.
 * Absent inputs are known (as undefined).
 */
export function knownValues<K extends string>(endpoint: EndpointInPolicy, keys: readonly K[]): Record<K, unknown> {
  const fields = keys.map((k) => [k, endpoint.field(k)] as const);
  const unknown = fields.filter(([, f]) => !f.known);
  if (unknown.length > 0) {
    throw cannotCheckUntilKnown(endpoint.label, unknown.map(([k]) => k), unknown.map(([, f]) => f));
  }
  return Object.fromEntries(fields.map(([k, f]) => [k, f.known ? f.value : undefined])) as Record<K, unknown>;
}

/** A known string input: undefined when absent, empty or not a string. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Harbor's type string for a known `providerName` (aliases mapped). */
export function providerType(providerName: unknown): string | undefined {
  const name = text(providerName);
  return name === undefined ? undefined : canonicalProviderName(name);
}

/**
 * The URL Harbor uses for the endpoint: `endpointUrl` as `check` normalised it, or the fixed endpoint of types such as
 * `docker-hub` when the URL is absent. Throws {@link cannotCheckUntilKnown} when the answer needs an unknown value.
 */
export function endpointUrlOf(endpoint: EndpointInPolicy): string | undefined {
  const url = text(knownValues(endpoint, ["endpointUrl"]).endpointUrl);
  if (url !== undefined) return url;
  const type = providerType(knownValues(endpoint, ["providerName"]).providerName);
  return type === undefined ? undefined : FIXED_ENDPOINTS[type as RegistryProviderType];
}

/** Whether `e` is what {@link cannotCheckUntilKnown} throws (under @pulumi/policy or not). */
export function isCannotCheckUntilKnown(e: unknown): e is Error {
  return (e instanceof Error && (e as Partial<EndpointValueUnknownError>).isEndpointValueUnknownError === true) || isPolicyUnknownValueError(e);
}

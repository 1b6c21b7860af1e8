// The only place that converts between RegistryEndpoint's camelCase fields and Harbor's snake_case wire models.
import type { HarborRegistry, HarborRegistryCreate, HarborRegistryUpdate } from "../harbor/models";
import type { RegistryEndpointLookup } from "../lookup-types";
import type { DiffField } from "./diff";
import {
  type ConnectionTestMode,
  DEFAULT_CONNECTION,
  type RegistryEndpointInputs,
  type RegistryEndpointOutputs,
  type RegistryEndpointState,
  type RegistryProviderType,
  STATE_VERSION,
} from "./schema";

/** Harbor's placeholder for a stored secret on GET; it must never be sent back (it would become the secret). */
export const HARBOR_SECRET_PLACEHOLDER = "*****";

/** Checked inputs, as `create`/`update` receive them (no unknowns: those only occur in preview). */
export type DesiredEndpoint = RegistryEndpointInputs;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Reads checked inputs into a `DesiredEndpoint`; `check` has already validated the values, they are not re-checked. */
export function toDesiredEndpoint(raw: Record<string, unknown>): DesiredEndpoint {
  return {
    providerName: String(raw.providerName ?? "") as RegistryProviderType,
    name: String(raw.name ?? ""),
    description: text(raw.description),
    endpointUrl: String(raw.endpointUrl ?? ""),
    accessId: text(raw.accessId),
    accessSecret: text(raw.accessSecret),
    insecure: raw.insecure === true,
    caCertificate: text(raw.caCertificate),
    adopt: raw.adopt === true,
    connectionTest: text(raw.connectionTest) as ConnectionTestMode | undefined,
    connection: text(raw.connection) ?? DEFAULT_CONNECTION,
  };
}

/** The nested POST body. A credential is sent only with an access id: Harbor drops a credential without one anyway. */
export function toHarborRegistryCreate(d: DesiredEndpoint): HarborRegistryCreate {
  const body: HarborRegistryCreate = { name: d.name, type: d.providerName, url: d.endpointUrl, insecure: d.insecure };
  if (d.description !== undefined) body.description = d.description;
  // Harbor < 2.15 has no ca_certificate; leaving it out keeps CA-less endpoints working there.
  if (d.caCertificate !== undefined) body.ca_certificate = d.caCertificate;
  if (d.accessId !== undefined) {
    body.credential = { type: "basic", access_key: d.accessId };
    if (d.accessSecret !== undefined) body.credential.access_secret = d.accessSecret;
  }
  return body;
}

/**
 * The flat PUT body with only what changed. A removed optional field is sent as "" (Harbor treats an absent field
 * as "unchanged" and "" as "clear"). The secret goes out when it changed, when a refresh suspected credential drift,
 * and whenever the URL changes: Harbor 2.16 clears a stored secret on a URL change without one (PR #23671).
 */
export function toHarborRegistryUpdate(d: DesiredEndpoint, changed: readonly DiffField[]): HarborRegistryUpdate {
  const body: HarborRegistryUpdate = {};
  const has = (f: DiffField) => changed.includes(f);
  if (has("name")) body.name = d.name;
  if (has("description")) body.description = d.description ?? "";
  if (has("endpointUrl")) body.url = d.endpointUrl;
  if (has("insecure")) body.insecure = d.insecure;
  if (has("caCertificate")) body.ca_certificate = d.caCertificate ?? "";
  if (has("accessId")) {
    body.access_key = d.accessId ?? "";
    if (d.accessId !== undefined) body.credential_type = "basic";
  }
  if (has("accessSecret") || (has("endpointUrl") && d.accessSecret !== undefined) || (has("accessId") && d.accessSecret !== undefined)) {
    body.access_secret = d.accessSecret ?? "";
  }
  if (body.access_secret === HARBOR_SECRET_PLACEHOLDER) delete body.access_secret;
  return body;
}

/**
 * The PUT body that brings an adopted endpoint to the desired state: every field whose desired value differs from
 * Harbor's record (like Harbor's portal, which sends only its changes), plus the secret when one is desired. Without
 * `accessSecret` the body carries no `access_secret` at all, so Harbor keeps the secret it holds: Harbor never returns
 * secrets, so a program that copied an endpoint's settings cannot know it, and "" would erase it. An empty body means
 * Harbor already holds the desired state and no PUT is needed.
 */
export function toHarborRegistryAdoptUpdate(d: DesiredEndpoint, existing: HarborRegistry): HarborRegistryUpdate {
  const body: HarborRegistryUpdate = {};
  if (d.name !== existing.name) body.name = d.name;
  if ((d.description ?? "") !== (text(existing.description) ?? "")) body.description = d.description ?? "";
  if (d.endpointUrl !== existing.url) body.url = d.endpointUrl;
  if (d.insecure !== (existing.insecure === true)) body.insecure = d.insecure;
  // Harbor < 2.15 has no ca_certificate, so it is only sent when in play on either side (and then only if it differs).
  if ((d.caCertificate ?? "") !== (text(existing.ca_certificate ?? undefined) ?? "")) body.ca_certificate = d.caCertificate ?? "";
  if ((d.accessId ?? "") !== (text(existing.credential?.access_key) ?? "")) {
    // An empty access_key makes Harbor drop the whole credential, which is what a declaration without accessId says.
    body.access_key = d.accessId ?? "";
    if (d.accessId !== undefined) body.credential_type = "basic";
  }
  if (d.accessSecret !== undefined && d.accessSecret !== HARBOR_SECRET_PLACEHOLDER) body.access_secret = d.accessSecret;
  return body;
}

/**
 * Why adopting `existing` as `d` would lose the secret Harbor holds, or undefined when it would not: a URL change
 * without a new secret makes Harbor ≥ 2.16 clear the stored secret (PR #23671), and older Harbors would send it to
 * the new host. Removing accessId is not such a case: it removes the whole credential, as declared.
 */
export function adoptionSecretLoss(d: DesiredEndpoint, existing: HarborRegistry): string | undefined {
  const holdsSecret = text(existing.credential?.access_key) !== undefined && text(existing.credential?.access_secret) !== undefined;
  if (!holdsSecret || d.accessSecret !== undefined || d.accessId === undefined) return undefined;
  if (d.endpointUrl === existing.url) return undefined;
  return `endpointUrl changes from ${existing.url} to ${d.endpointUrl}, and Harbor does not keep a stored secret across a URL change (Harbor 2.16 clears it, older versions would send it to the new host)`;
}

/** What the outputs carry over from before, because Harbor does not return it. */
export type CarriedOver = Pick<RegistryEndpointOutputs, "accessSecret" | "adopt" | "connectionTest" | "connection" | "lastWriteTime" | "credentialsDriftSuspected">;

/**
 * Outputs from Harbor's record. The secret is never read from Harbor (it answers "*****"): it is the carried-over
 * value while Harbor still holds one, and absent once Harbor holds none, so the next diff re-sends it.
 */
export function fromHarborRegistry(reg: HarborRegistry, carried: CarriedOver): RegistryEndpointOutputs {
  const harborHasSecret = text(reg.credential?.access_secret) !== undefined;
  const out: RegistryEndpointOutputs = {
    stateVersion: STATE_VERSION,
    providerName: reg.type,
    name: reg.name,
    description: text(reg.description),
    endpointUrl: reg.url,
    accessId: text(reg.credential?.access_key),
    accessSecret: harborHasSecret ? carried.accessSecret : undefined,
    insecure: reg.insecure === true,
    caCertificate: text(reg.ca_certificate ?? undefined),
    adopt: carried.adopt,
    connectionTest: carried.connectionTest,
    connection: carried.connection,
    registryId: reg.id,
    status: text(reg.status),
    creationTime: reg.creation_time,
    updateTime: reg.update_time,
    lastWriteTime: carried.lastWriteTime,
    credentialsDriftSuspected: carried.credentialsDriftSuspected === true ? true : undefined,
  };
  return stripUndefined(out);
}

/** A lookup's result from Harbor's record: every field Harbor returns except the credential's secret. */
export function toRegistryEndpointLookup(reg: HarborRegistry): RegistryEndpointLookup {
  return stripUndefined({
    registryId: reg.id,
    name: reg.name,
    providerName: reg.type,
    endpointUrl: reg.url,
    description: text(reg.description),
    accessId: text(reg.credential?.access_key),
    insecure: reg.insecure === true,
    caCertificate: text(reg.ca_certificate ?? undefined),
    // Harbor omits an empty status: the endpoint has not been health-checked yet.
    status: text(reg.status) ?? "unknown",
    creationTime: reg.creation_time,
    updateTime: reg.update_time,
  });
}

/** Outputs built from desired values only, for a partially-created resource whose GET failed. */
export function outputsFromDesired(id: number, d: DesiredEndpoint): RegistryEndpointOutputs {
  return stripUndefined({
    stateVersion: STATE_VERSION,
    providerName: d.providerName,
    name: d.name,
    description: d.description,
    endpointUrl: d.endpointUrl,
    accessId: d.accessId,
    accessSecret: d.accessSecret,
    insecure: d.insecure,
    caCertificate: d.caCertificate,
    adopt: d.adopt,
    connectionTest: d.connectionTest,
    connection: d.connection,
    registryId: id,
  });
}

/** Outputs for an update that touched only local settings (adopt, connectionTest): the stored state, refreshed. */
export function outputsWithLocalChanges(state: RegistryEndpointState, d: DesiredEndpoint): Record<string, unknown> {
  return stripUndefined({ ...state, stateVersion: STATE_VERSION, adopt: d.adopt, connectionTest: d.connectionTest, connection: d.connection });
}

/** Drops `undefined` values: they break the engine's protobuf conversion. */
export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// create/read/update/delete of a RegistryEndpoint against Harbor (no Pulumi imports: callers hand in a HarborClient).
import type { HarborClient } from "../harbor/client";
import type { HarborRegistry } from "../harbor/models";
import { engineLog } from "../engine-log";
import { isHarborApiError, isHarborNetworkError, isHarborResponseShapeError, isHarborTimeoutError } from "../errors";
import { redact } from "../redact";
import { DIFF_TABLE, type DiffField, diffRegistryEndpoint } from "./diff";
import {
  adoptionSecretLoss,
  type DesiredEndpoint,
  fromHarborRegistry,
  outputsFromDesired,
  outputsWithLocalChanges,
  toDesiredEndpoint,
  toHarborRegistryAdoptUpdate,
  toHarborRegistryCreate,
  toHarborRegistryUpdate,
} from "./mapping";
import { DEFAULT_CONNECTION, parseState, type RegistryEndpointOutputs } from "./schema";

/**
 * Thrown when Harbor created (or we adopted) the endpoint but a later step failed. Carries `id`, `properties` and
 * `reasons`, which the dynamic-provider host turns into ErrorResourceInitFailed, so the engine records the endpoint
 * instead of forgetting it and creating a duplicate on the next `up`.
 */
export class RegistryEndpointInitError extends Error {
  /** Brand, recognised without instanceof. */
  readonly errorKind = "RegistryEndpointInitError";
  /** The Harbor id of the endpoint that exists, as a decimal string. */
  readonly id: string;
  /** The outputs known so far. */
  readonly properties: Record<string, unknown>;
  /** Why initialisation failed (redacted). */
  readonly reasons: string[];
  constructor(id: number, properties: Record<string, unknown>, reason: string) {
    super(reason);
    this.name = "RegistryEndpointInitError";
    this.id = String(id);
    this.properties = properties;
    this.reasons = [reason];
  }
}

/**
 * True only for Harbor's own "no such object": a 404 carrying Harbor's NOT_FOUND error envelope. A 404 without it
 * (a proxy's HTML page, a harbor:url with a wrong path) says nothing about the endpoint, so it must not drop it from state.
 */
export function isHarborNotFound(e: unknown): boolean {
  return isHarborApiError(e) && e.status === 404 && e.code === "NOT_FOUND";
}

/** Error message of anything thrown, redacted with the secrets in play. */
function messageOf(e: unknown, secrets: (string | undefined)[]): string {
  return redact(e instanceof Error ? e.message : String(e), secrets.filter((s): s is string => !!s));
}

/** A plain Error whose message was redacted with the given secrets. */
function fail(message: string, secrets: (string | undefined)[]): Error {
  return new Error(redact(message, secrets.filter((s): s is string => !!s)));
}

/** Parses a resource id: Harbor ids are positive integers (0 is Harbor's synthetic local registry). */
export function parseRegistryId(id: string): number {
  const n = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(n) || n <= 0) throw new Error(`resource id "${id}" is not a Harbor registry id`);
  return n;
}

/** Parses "v2.15.2", "v2.14.0-abc123" or "2.15" into [major, minor]. */
export function parseHarborVersion(version: string | undefined): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? "");
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Per-process memo of GET /systeminfo's version, asked only when a CA certificate is about to be written. */
const versionCache = new WeakMap<HarborClient, Promise<string | undefined>>();

async function assertCaCertificateSupported(client: HarborClient, d: DesiredEndpoint): Promise<void> {
  if (d.caCertificate === undefined) return;
  let pending = versionCache.get(client);
  if (!pending) {
    pending = client.getSystemInfo().then((i) => i.harbor_version);
    versionCache.set(client, pending);
    // A failure is not an answer: the next endpoint of the same run asks again instead of inheriting it.
    pending.catch(() => versionCache.delete(client));
  }
  const raw = await pending;
  const v = parseHarborVersion(raw);
  // Harbor added ca_certificate in v2.15.0 (PR #22535); older servers silently ignore it, leaving TLS unverified.
  if (v && (v[0] < 2 || (v[0] === 2 && v[1] < 15))) {
    throw new Error(
      `caCertificate of endpoint ${d.name} needs Harbor 2.15 or newer, but this Harbor is ${raw}: upgrade Harbor, or remove caCertificate (and set insecure: true only if you accept unverified TLS)`,
    );
  }
}

async function getOrInitError(client: HarborClient, id: number, d: DesiredEndpoint, step: string): Promise<HarborRegistry> {
  try {
    return await client.getRegistry(id);
  } catch (e) {
    throw new RegistryEndpointInitError(id, { ...outputsFromDesired(id, d) }, `endpoint ${d.name} was ${step} in Harbor (id ${id}), but reading it back failed: ${messageOf(e, [d.accessSecret])}`);
  }
}

async function finish(client: HarborClient, id: number, d: DesiredEndpoint, step: string): Promise<{ id: string; outs: RegistryEndpointOutputs }> {
  const reg = await getOrInitError(client, id, d, step);
  const outs = fromHarborRegistry(reg, {
    accessSecret: d.accessSecret,
    adopt: d.adopt,
    connectionTest: d.connectionTest,
    connection: d.connection,
    lastWriteTime: reg.update_time,
  });
  return { id: String(id), outs };
}

/**
 * Takes over an existing endpoint: same type required, then one PUT of the fields that differ (the secret when one is
 * given), or none when Harbor already holds the desired state. Without accessSecret the secret Harbor holds is kept.
 */
async function adoptRegistry(client: HarborClient, existing: HarborRegistry, d: DesiredEndpoint): Promise<{ id: string; outs: RegistryEndpointOutputs }> {
  if (existing.type !== d.providerName) {
    throw fail(
      `cannot adopt endpoint ${d.name}: it exists in Harbor (id ${existing.id}) with provider type ${existing.type}, not ${d.providerName}; Harbor cannot change a type, so delete it in Harbor or change providerName`,
      [d.accessSecret],
    );
  }
  const loss = adoptionSecretLoss(d, existing);
  if (loss !== undefined) {
    throw fail(
      `cannot adopt endpoint ${d.name} (id ${existing.id}) without accessSecret: ${loss}; set accessSecret, or adopt it with its current endpointUrl first`,
      [d.accessSecret],
    );
  }
  const body = toHarborRegistryAdoptUpdate(d, existing);
  try {
    if (Object.keys(body).length > 0) await client.updateRegistry(existing.id, body);
  } catch (e) {
    // Harbor still holds the existing record, so that is what state records: the next diff then shows every field
    // that differs from the desired values (and the secret, which Pulumi does not know yet), and the forced update
    // sends them. No lastWriteTime: no write of ours completed.
    const properties = fromHarborRegistry(existing, { accessSecret: undefined, adopt: d.adopt, connectionTest: d.connectionTest, connection: d.connection });
    throw new RegistryEndpointInitError(existing.id, { ...properties }, `endpoint ${d.name} was adopted (id ${existing.id}) but bringing it to the desired state failed: ${messageOf(e, [d.accessSecret])}`);
  }
  return finish(client, existing.id, d, "adopted");
}

/** Delays before each name lookup that reconciles a POST whose answer was lost: 3 lookups over about 3 seconds. */
export const LOST_POST_LOOKUP_DELAYS_MS: readonly number[] = [0, 1000, 2000];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of {@link createRegistryEndpoint}, for tests. */
export interface CreateOptions {
  /** Delays before each reconciling name lookup (default {@link LOST_POST_LOOKUP_DELAYS_MS}). */
  lookupDelaysMs?: readonly number[];
  /**
   * Adopt an existing endpoint of the same name and type as if every resource had `adopt: true`
   * (`harbor:adoptExisting` / `HARBOR_ADOPT_EXISTING`): the recovery after an interrupted `pulumi up`, whose creates
   * Harbor completed but the state never recorded. Default false.
   */
  adoptExisting?: boolean;
  /**
   * Who else in this stack manages Harbor endpoint `id` (e.g. `RegistryEndpoint "hub"`), if anyone: adopting it is then
   * refused, because two owners means deleting either deletes it. Default: nobody.
   */
  adoptionOwner?: (id: number) => string | undefined;
}

/**
 * Whether a failed `POST /registries` proves Harbor created nothing. Only a 3xx or 4xx does (Harbor's validation,
 * auth, 409, a proxy refusing to forward): every check Harbor makes comes before its INSERT. A 409 after retries is
 * the exception, since an earlier attempt may have created the endpoint. Everything else (no answer, a timeout, any
 * 5xx, a 2xx that is not Harbor's 201) may have been applied, by Harbor or behind a gateway that gave up waiting.
 */
export function provesCreateRefused(e: unknown): boolean {
  return isHarborApiError(e) && e.status >= 300 && e.status < 500 && !(e.status === 409 && e.attempts > 1);
}

/** Whether Harbor itself finished the POST (its own 5xx envelope): then one lookup settles it, no waiting needed. */
function harborFinished(e: unknown): boolean {
  return isHarborApiError(e) && e.harborEnvelope;
}

/** What a failed POST looked like, for the message when reconciliation finds nothing. */
function describePostFailure(e: unknown): string {
  if (isHarborNetworkError(e) || isHarborTimeoutError(e)) return "got no answer from Harbor";
  if (isHarborApiError(e)) return e.harborEnvelope ? `failed in Harbor (${e.status})` : `got a ${e.status} from something in front of Harbor, not from Harbor`;
  if (isHarborResponseShapeError(e)) return "got an answer that is not Harbor's";
  return "failed";
}

/**
 * Creates the endpoint: POST (retried only after a 429 refusal), id from Location, then GET. With `adopt`, an
 * existing endpoint of the same name is taken over instead. A POST that may have been applied (no answer, a timeout, a
 * 5xx from Harbor or a gateway, a 2xx that is not Harbor's) is reconciled by looking the name up (a few times, since
 * Harbor may insert the record after its health check), never by a second POST: the endpoint found is recorded, so
 * nothing is left in Harbor that the state does not know.
 */
export async function createRegistryEndpoint(
  client: HarborClient,
  inputs: Record<string, unknown>,
  options: CreateOptions = {},
): Promise<{ id: string; outs: RegistryEndpointOutputs }> {
  const d = toDesiredEndpoint(inputs);
  await assertCaCertificateSupported(client, d);
  // The stack-wide switch adopts like the input does, but is not recorded: the state keeps the program's `adopt`.
  const adopt = d.adopt || options.adoptExisting === true;
  const adoptIfFree = (existing: HarborRegistry) => {
    const owner = options.adoptionOwner?.(existing.id);
    if (owner !== undefined) {
      throw fail(
        `cannot adopt endpoint ${d.name} (id ${existing.id}): ${owner} of this stack already manages it, and two resources owning one endpoint means deleting either deletes it; give this RegistryEndpoint another name`,
        [d.accessSecret],
      );
    }
    return adoptRegistry(client, existing, d);
  };
  if (adopt) {
    const existing = await client.findRegistryByName(d.name);
    if (existing) return adoptIfFree(existing);
  }
  let id: number;
  try {
    id = await client.createRegistry(toHarborRegistryCreate(d));
  } catch (e) {
    if (isHarborApiError(e) && e.status === 409 && e.attempts === 1) {
      const existing = adopt ? await client.findRegistryByName(d.name) : undefined;
      if (existing) return adoptIfFree(existing);
      throw fail(
        `endpoint ${d.name} already exists in Harbor; set \`adopt: true\` on this RegistryEndpoint to take it over (or, after an interrupted \`pulumi up\`, run the next one with HARBOR_ADOPT_EXISTING=true), but only if no other stack or tool manages it: adopting an endpoint that another stack or tool manages gives it two owners, and deleting either deletes it (request id ${e.requestId ?? "unknown"})`,
        [d.accessSecret],
      );
    }
    if (provesCreateRefused(e)) throw e;
    // The POST may have been applied before the answer was lost, or may still be running: Harbor health-checks the
    // remote before it inserts the record. Harbor names are unique, so the name finds it; look a few times, bounded.
    const delays = harborFinished(e) ? [0] : (options.lookupDelaysMs ?? LOST_POST_LOOKUP_DELAYS_MS);
    let existing: HarborRegistry | undefined;
    for (const delayMs of delays) {
      if (delayMs > 0) await sleep(delayMs);
      try {
        existing = await client.findRegistryByName(d.name);
      } catch {
        existing = undefined;
      }
      if (existing) break;
    }
    // Same name, type and URL as our POST: it is the endpoint we just created, so read it back instead of adopting.
    if (existing && existing.type === d.providerName && existing.url === d.endpointUrl) return finish(client, existing.id, d, "created");
    if (!existing && !harborFinished(e)) {
      throw fail(
        `creating endpoint ${d.name} ${describePostFailure(e)} (${messageOf(e, [d.accessSecret])}), and it was not found by name after ${delays.length} lookups; Harbor may still be creating it (it tests the connection first), so it may appear in Harbor later: run \`pulumi up\` again, and if it then reports that the endpoint already exists, set \`adopt: true\` on this RegistryEndpoint to take it over`,
        [d.accessSecret],
      );
    }
    throw e;
  }
  return finish(client, id, d, "created");
}

/**
 * Reads the endpoint back for refresh. Harbor's 404 NOT_FOUND ⇒ `{}` (gone); any other 404 is an error. The secret is carried over from state while Harbor still
 * stores one. If Harbor's `update_time` moved past the `lastWriteTime` we recorded after our own last write, someone
 * (or Harbor's background health check, which also bumps update_time) changed the record: `credentialsDriftSuspected`
 * is set, and the next diff re-sends `accessSecret` so the desired credentials are re-asserted. Without a secret in
 * state there is nothing to re-assert: the change is reported once and `lastWriteTime` moves to Harbor's `update_time`.
 */
export async function readRegistryEndpoint(client: Pick<HarborClient, "getRegistry">, id: string, props: Record<string, unknown>): Promise<{ id?: string; props?: RegistryEndpointOutputs }> {
  const state = parseState(props);
  let reg: HarborRegistry;
  try {
    reg = await client.getRegistry(parseRegistryId(id));
  } catch (e) {
    if (isHarborNotFound(e)) return {};
    throw e;
  }
  const last = state.lastWriteTime ? Date.parse(state.lastWriteTime) : NaN;
  const now = Date.parse(reg.update_time);
  const moved = Number.isFinite(last) && Number.isFinite(now) && now > last;
  const hasSecret = !!state.accessSecret;
  // With a secret in state the flag persists until an up re-sends it. Without one there is nothing to re-send, so
  // the flag would never clear and every refresh would warn again: warn once, then move the baseline to Harbor's
  // update_time so only a later change warns.
  const outs = fromHarborRegistry(reg, {
    accessSecret: state.accessSecret,
    adopt: state.adopt === true,
    connectionTest: state.connectionTest,
    connection: state.connection ?? DEFAULT_CONNECTION,
    lastWriteTime: hasSecret || !moved ? state.lastWriteTime : reg.update_time,
    credentialsDriftSuspected: hasSecret && (moved || state.credentialsDriftSuspected === true),
  });
  const edited = editedFields(state as Record<string, unknown>, outs as unknown as Record<string, unknown>);
  if (edited.length > 0) {
    // What Harbor shows differs from state: name those fields, not the credentials.
    await engineLog().warn(editedFieldsMessage(outs.name, reg.id, edited, hasSecret), { secrets: [state.accessSecret] });
  } else if (hasSecret ? outs.credentialsDriftSuspected === true : moved) {
    await engineLog().warn(credentialsDriftMessage(outs.name, reg.id, reg.update_time, state.lastWriteTime, hasSecret), {
      secrets: [state.accessSecret],
    });
  }
  return { id, props: outs };
}

/** The fields Harbor shows (so a refresh can compare them); the secret is never shown and is not among them. */
export const HARBOR_VISIBLE_FIELDS = ["name", "description", "endpointUrl", "accessId", "insecure", "caCertificate"] as const;

/** The visible fields whose refreshed value differs from state ("" and absent are equal, as Harbor omits empty text). */
export function editedFields(state: Record<string, unknown>, refreshed: Record<string, unknown>): string[] {
  const norm = (v: unknown) => (v === "" || v === null || v === undefined ? undefined : v === false ? undefined : v);
  // name and endpointUrl are in every state this package writes; a state without them (hand-made) cannot be compared.
  return HARBOR_VISIBLE_FIELDS.filter((f) => ((f !== "name" && f !== "endpointUrl") || state[f] !== undefined) && norm(state[f]) !== norm(refreshed[f]));
}

/** The refresh warning for out-of-band edits of visible fields: which fields, and what the next `pulumi up` does. */
export function editedFieldsMessage(name: string, registryId: number, fields: readonly string[], hasSecret: boolean): string {
  const list = fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]}`;
  const resend = hasSecret ? " (and re-sends accessSecret, which Harbor never shows)" : "";
  return `RegistryEndpoint "${name}" (Harbor id ${registryId}) was edited in Harbor outside Pulumi: ${list} ${fields.length === 1 ? "differs" : "differ"} from what Pulumi last wrote; the next \`pulumi up\` sets ${fields.length === 1 ? "it" : "them"} back to the program's values${resend}.`;
}

/** The refresh warning for `credentialsDriftSuspected`: what moved, and what the next `pulumi up` does about it. */
export function credentialsDriftMessage(
  name: string,
  registryId: number,
  harborUpdateTime: string,
  lastWriteTime: string | undefined,
  hasSecret: boolean,
): string {
  const since = lastWriteTime ? `at ${harborUpdateTime}, after Pulumi's last write at ${lastWriteTime}` : `at ${harborUpdateTime}`;
  // diff re-asserts only a secret Pulumi knows; without one there is nothing to re-send, so the user must look.
  const next = hasSecret
    ? "the next `pulumi up` will re-send accessSecret to re-assert them"
    : "no accessSecret is set in Pulumi, so check the endpoint's credentials in Harbor";
  return `RegistryEndpoint "${name}" (Harbor id ${registryId}) was modified in Harbor ${since}: its credentials may have been changed outside Pulumi; ${next}.`;
}

/**
 * Updates in place with a PUT of only the changed fields (never the "*****" placeholder), or of every field when old
 * state has no `lastWriteTime` (no write of ours completed). Settings that live only in our state (adopt,
 * connectionTest) cost no request. A 409 (a rename to a taken name) says so, naming the name.
 */
export async function updateRegistryEndpoint(client: HarborClient, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: RegistryEndpointOutputs | Record<string, unknown> }> {
  const d = toDesiredEndpoint(news);
  const state = parseState(olds);
  const diff = diffRegistryEndpoint(olds, news);
  // Old state without lastWriteTime was never confirmed by a completed write of ours (a partially created or adopted
  // endpoint): it may claim values Harbor does not hold, so every Harbor field is sent, not only the changed ones.
  const confirmed = state.lastWriteTime !== undefined;
  const harborFields = confirmed
    ? diff.changed.filter((f) => !DIFF_TABLE[f].localOnly)
    : (Object.keys(DIFF_TABLE) as DiffField[]).filter(
        // ca_certificate only when in play: Harbor < 2.15 has no such field (the adopt body follows the same rule).
        // accessSecret only when known on either side: Harbor's own secret (an endpoint adopted without accessSecret)
        // is unknown to Pulumi, and sending "" would erase it.
        (f) =>
          !DIFF_TABLE[f].localOnly &&
          !DIFF_TABLE[f].replaces &&
          (f !== "caCertificate" || d.caCertificate !== undefined || state.caCertificate !== undefined) &&
          (f !== "accessSecret" || d.accessSecret !== undefined || state.accessSecret !== undefined),
      );
  if (harborFields.length === 0) return { outs: outputsWithLocalChanges(state, d) };
  if (harborFields.includes("caCertificate")) await assertCaCertificateSupported(client, d);
  const registryId = parseRegistryId(id);
  try {
    await client.updateRegistry(registryId, toHarborRegistryUpdate(d, harborFields));
  } catch (e) {
    if (isHarborNotFound(e)) {
      throw fail(`endpoint ${d.name} (id ${registryId}) no longer exists in Harbor; run \`pulumi refresh\` so it is recreated`, [d.accessSecret]);
    }
    if (isHarborApiError(e) && e.status === 409) {
      throw fail(
        `cannot rename endpoint (id ${registryId}) to name "${d.name}": another endpoint named ${d.name} already exists in Harbor; choose another name or delete it (request id ${e.requestId ?? "unknown"})`,
        [d.accessSecret],
      );
    }
    throw e;
  }
  const reg = await client.getRegistry(registryId);
  return {
    outs: fromHarborRegistry(reg, { accessSecret: d.accessSecret, adopt: d.adopt, connectionTest: d.connectionTest, connection: d.connection, lastWriteTime: reg.update_time }),
  };
}

/** Deletes the endpoint. Harbor's 404 NOT_FOUND ⇒ already gone, success. 412 ⇒ an error naming the policies and projects that use it. */
export async function deleteRegistryEndpoint(client: HarborClient, id: string, props: Record<string, unknown>): Promise<void> {
  const state = parseState(props);
  const registryId = parseRegistryId(id);
  const name = state.name ?? `#${registryId}`;
  try {
    await client.deleteRegistry(registryId);
  } catch (e) {
    if (isHarborNotFound(e)) return;
    if (isHarborApiError(e) && e.status === 412) {
      let users = "replication policies or proxy-cache projects";
      try {
        const refs = await client.findRegistryReferences(registryId);
        const parts: string[] = [];
        if (refs.policies.length > 0) parts.push(`replication policies ${refs.policies.map((p) => `"${p.name}" (id ${p.id})`).join(", ")}`);
        if (refs.projects.length > 0) parts.push(`proxy-cache projects ${refs.projects.map((p) => `"${p.name}" (id ${p.id})`).join(", ")}`);
        if (parts.length > 0) users = parts.join(" and ");
      } catch {
        // The 412 itself is the actionable fact; failing to list the users must not hide it.
      }
      throw fail(`cannot delete endpoint ${name} (id ${registryId}): it is still used by ${users}; delete or re-point them first (request id ${e.requestId ?? "unknown"})`, [state.accessSecret]);
    }
    throw e;
  }
}

// Verifies one Harbor connection before anything relies on it: reachable, TLS, login accepted, may change registries.
import type { HarborClient } from "./harbor/client";
import {
  isHarborApiError,
  isHarborNetworkError,
  isHarborResponseShapeError,
  isHarborTimeoutError,
  isTlsVerificationCode,
} from "./errors";
import type { HarborConnectionSettings } from "./connections";

/** What Harbor calls the actions on system resource `registry` a RegistryEndpoint needs (swagger `Permission.action`). */
export const REGISTRY_ACTIONS = ["create", "read", "update", "delete", "list"] as const;

/** The Harbor calls {@link verifyHarborConnection} makes. */
export type VerifyingHarbor = Pick<HarborClient, "getCurrentUserPermissions" | "probeRegistryUpdatePermission">;

/** Harbor's origin as a person types it into harbor:url (the API base without `/api/v2.0`). */
function origin(c: HarborConnectionSettings): string {
  return (c.url ?? "").replace(/\/api\/v2\.0$/, "");
}

function who(c: HarborConnectionSettings): string {
  return JSON.stringify(c.username ?? "");
}

/**
 * Verifies the connection with at most two requests and resolves with one sentence (no final period) naming the
 * config key to fix, or undefined when the connection is usable:
 * 1. `GET /users/current/permissions?scope=/system` proves Harbor is reachable at harbor:url, its TLS certificate is
 *    trusted as configured, and the login is accepted (401 otherwise). For a system administrator it also lists
 *    every registry action, and the check ends here.
 * 2. Robot accounts and other users get `[]` there whatever they may do, so `PUT /registries/0` with an empty body
 *    asks whether the account may change registries: Harbor checks `registry:update` before it looks the id up, and
 *    no registry has id 0, so nothing changes. A Harbor in read-only mode refuses every write (403 DENIED); that is
 *    not a problem of the connection, and an unchanged preview must pass, so it is not reported here.
 * Messages are written for the default connection's keys (harbor:url …); the provider renames them for named ones.
 */
export async function verifyHarborConnection(c: HarborConnectionSettings, harbor: VerifyingHarbor): Promise<string | undefined> {
  try {
    const permissions = await harbor.getCurrentUserPermissions("/system");
    const granted = new Set(permissions.filter((p) => p.resource === "registry" || p.resource === "/system/registry").map((p) => p.action));
    if (REGISTRY_ACTIONS.every((a) => granted.has(a))) return undefined;
    const write = await harbor.probeRegistryUpdatePermission();
    if (write === "forbidden") {
      return `the Harbor account ${who(c)} set in harbor:username may not change registry endpoints on ${origin(c)} (Harbor answered 403 FORBIDDEN); give it system-level registry permissions (a robot account needs registry create, read, update, delete and list) or set harbor:username and harbor:password to an account that has them`;
    }
    return undefined;
  } catch (e) {
    return explain(c, e);
  }
}

/** One sentence for a failed verification request. */
function explain(c: HarborConnectionSettings, e: unknown): string {
  const at = origin(c);
  if (isHarborNetworkError(e)) {
    if (isTlsVerificationCode(e.code)) {
      return `Harbor's TLS certificate at ${at} is not trusted (${e.code}); set harbor:caCertificate to the PEM of the CA that signed it (or, only for tests, harbor:insecure to true)`;
    }
    return `Harbor at ${at} cannot be reached from this machine${e.code ? ` (${e.code})` : ""}; check harbor:url`;
  }
  if (isHarborTimeoutError(e)) {
    return `Harbor at ${at} did not answer within ${Math.round(e.timeoutMs / 1000)} s; check harbor:url and that Harbor is reachable from this machine`;
  }
  if (isHarborApiError(e)) {
    if (e.status === 401) {
      return `Harbor at ${at} rejected the login of ${who(c)} (401 UNAUTHORIZED); check harbor:username and harbor:password (or HARBOR_USERNAME/HARBOR_PASSWORD)`;
    }
    if (e.status >= 300 && e.status < 400) {
      return `${at} redirected the API request (${e.status}); set harbor:url to the final Harbor URL (usually https)`;
    }
    if (!e.harborEnvelope) {
      return `${at} does not answer as Harbor's API does (${e.status} without Harbor's error body); check that harbor:url is Harbor's base URL and not a proxy or a wrong path`;
    }
    if (e.status === 429 || e.status >= 500) {
      return `Harbor at ${at} could not verify the connection (it answered ${e.status} ${e.code}${e.requestId ? `, request id ${e.requestId}` : ""}); check Harbor's health and retry`;
    }
    return `Harbor at ${at} refused to verify the connection (${e.status} ${e.code}${e.messages.length > 0 ? `: ${e.messages.join("; ")}` : ""}); check harbor:url, harbor:username and harbor:password`;
  }
  if (isHarborResponseShapeError(e)) {
    return `the answer of ${at} is not Harbor's (a ${e.status} whose ${e.issuePath} is wrong); check that harbor:url is Harbor's base URL and not a proxy or login page`;
  }
  const text = e instanceof Error ? e.message : String(e);
  return `the Harbor connection to ${at} could not be verified: ${text.replace(/[.\s]+$/, "")}`;
}

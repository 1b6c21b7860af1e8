// Asks Harbor itself to test an endpoint (POST /registries/ping) and sorts its answer into a verdict.
import type { HarborRegistryPing } from "../harbor/models";
import { isHarborApiError, isHarborNetworkError, isHarborResponseShapeError, isHarborTimeoutError } from "../errors";
import { connectionFailure, endpointLabel } from "./failure";
import type { ConnectionContext, ConnectionFailure, ConnectionTarget } from "./types";

/**
 * The property under which failures of Harbor itself (login, permission, read-only, unreachable) are reported: none
 * (empty), since the fix is in the harbor:* config the reason names or in Harbor, not in an input of the endpoint.
 */
export const HARBOR_SIDE = "";

/** What Harbor said about an endpoint, as far as the local diagnosis cares. */
export type HarborVerdict =
  | { kind: "healthy" }
  /** 400 "the registry is unhealthy": the adapter was built, its health check failed. */
  | { kind: "unhealthy"; requestId?: string }
  /** 500: Harbor could not build the adapter (unknown type, unreachable Harbor /api/version, bad ECR URL, bad Quay JSON …). */
  | { kind: "adapter-error"; requestId?: string }
  /** Harbor did not answer in time: often Harbor itself waiting on an unreachable remote. */
  | { kind: "timeout"; timeoutMs: number; requestId?: string }
  /** Anything the local diagnosis cannot improve on: Harbor's login, permissions, validation, availability. */
  | { kind: "failure"; failure: ConnectionFailure };

/** " (Harbor request id X)" when Harbor gave one, for reasons a Harbor admin may look up in Harbor's logs. */
export function requestIdNote(requestId: string | undefined): string {
  return requestId ? ` (Harbor request id ${requestId})` : "";
}

/** The POST /registries/ping body for a target; credentials only when an access id or secret is given. */
export function pingBody(target: ConnectionTarget): HarborRegistryPing {
  // aws-ecr: Harbor's factory dereferences the credential without a nil check (a 500), and an empty key there means
  // "use Harbor's IAM role", so an ECR ping always carries a credential object.
  const hasCredential = target.providerName === "aws-ecr" || (target.accessId ?? "") !== "" || (target.accessSecret ?? "") !== "";
  return {
    type: target.providerName,
    url: target.endpointUrl,
    insecure: target.insecure,
    ...(target.caCertificate !== undefined && target.caCertificate !== "" ? { ca_certificate: target.caCertificate } : {}),
    ...(hasCredential
      ? { credential_type: "basic", access_key: target.accessId ?? "", access_secret: target.accessSecret ?? "" }
      : {}),
  };
}

/** Calls Harbor's connection test; network and API errors become verdicts, anything else is rethrown. */
export async function pingHarbor(target: ConnectionTarget, ctx: ConnectionContext): Promise<HarborVerdict> {
  const label = endpointLabel(target);
  try {
    await ctx.harbor.pingRegistry(pingBody(target));
    return { kind: "healthy" };
  } catch (e) {
    if (isHarborApiError(e)) {
      const note = requestIdNote(e.requestId);
      const said = e.messages.join("; ");
      if (e.status === 400 && /unhealthy/i.test(said)) return { kind: "unhealthy", requestId: e.requestId };
      if (e.status === 500) return { kind: "adapter-error", requestId: e.requestId };
      if (e.status === 400 && /certificate/i.test(said)) {
        return fail(target, "caCertificate", `Harbor rejected caCertificate of ${label} (${said}); provide a PEM bundle of CA certificates${note}.`);
      }
      if (e.status === 400 && /url|scheme/i.test(said)) {
        return fail(target, "endpointUrl", `Harbor rejected endpointUrl of ${label} (${said}); use an http:// or https:// URL${note}.`);
      }
      // Harbor-side refusals are fixed in the harbor:* provider settings (or by not testing), not in this endpoint's
      // inputs, so they are reported under connectionTest, the input that switches the test off.
      if (e.status === 401) {
        return fail(target, HARBOR_SIDE, `Harbor refused the connection test of ${label} because the Harbor login was rejected (401); check the provider settings harbor:username and harbor:password (or HARBOR_USERNAME/HARBOR_PASSWORD), or set connectionTest: "never"${note}.`);
      }
      if (e.status === 403 && e.code === "DENIED") {
        return fail(target, HARBOR_SIDE, `Harbor refused the connection test of ${label} because it is in read-only mode (403 DENIED); retry when read-only mode is off or set connectionTest: "never"${note}.`);
      }
      if (e.status === 403) {
        return fail(target, HARBOR_SIDE, `Harbor refused the connection test of ${label} because the Harbor user set in harbor:username lacks the system permission to read registries (403); grant it (robot accounts need system-level "registry" permissions), use another harbor:username, or set connectionTest: "never"${note}.`);
      }
      if (e.status >= 500) {
        const from = e.harborEnvelope ? "Harbor" : "the gateway in front of Harbor";
        return fail(target, HARBOR_SIDE, `Harbor itself failed during the connection test of ${label}: ${from} answered ${e.status}${e.attempts > 1 ? ` after ${e.attempts} attempts` : ""}, which says nothing about the endpoint; check Harbor's health and retry, or set connectionTest: "never"${note}.`);
      }
      return fail(target, HARBOR_SIDE, `Harbor could not run the connection test of ${label}: it answered ${e.status} ${e.code}${said ? ` (${said})` : ""}; check that the provider setting harbor:url is Harbor's base URL, or set connectionTest: "never"${note}.`);
    }
    if (isHarborResponseShapeError(e)) {
      return fail(target, HARBOR_SIDE, `the answer to the connection test of ${label} is not Harbor's (a ${e.status} whose ${e.issuePath} is wrong), so the test did not pass: check that the provider setting harbor:url is Harbor's base URL and not a proxy or login page, or set connectionTest: "never"${requestIdNote(e.requestId)}.`);
    }
    if (isHarborTimeoutError(e)) return { kind: "timeout", timeoutMs: e.timeoutMs, requestId: e.requestId };
    if (isHarborNetworkError(e)) {
      const code = e.code ? ` (${e.code})` : "";
      return fail(target, HARBOR_SIDE, `Harbor could not be asked to test ${label} because it did not answer${code}; check the provider setting harbor:url (and harbor:insecure/harbor:caCertificate for TLS) and that Harbor is reachable from this machine, or set connectionTest: "never"${requestIdNote(e.requestId)}.`);
    }
    throw e;
  }
}

function fail(target: ConnectionTarget, property: string, reason: string): HarborVerdict {
  return { kind: "failure", failure: connectionFailure(target, property, reason) };
}

// Network-free checks of a connection target, run before Harbor or any remote is contacted.
import { checkCredentialShape } from "../registry-endpoint/credential-shapes";
import { connectionFailure, endpointLabel } from "./failure";
import { precheckGoogleGcr } from "./google-gcr";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/**
 * Shape problems Harbor would answer with an opaque 400/500 (or a silent drop): the resource's credential-shape rules,
 * plus the GCR key's private key and project. At most one failure per property.
 */
export function precheckTarget(target: ConnectionTarget): ConnectionFailure[] {
  const label = endpointLabel(target);
  const failures: ConnectionFailure[] = checkCredentialShape({
    providerName: target.providerName,
    accessId: target.accessId,
    accessSecret: target.accessSecret,
    endpointUrl: target.endpointUrl,
  }).map((shape) => connectionFailure(target, shape.property, `${shape.property} of ${label} ${shape.reason.replace(/\.\s*$/, "")}.`));
  if (target.providerName === "google-gcr") {
    for (const extra of precheckGoogleGcr(target)) {
      if (!failures.some((known) => known.property === extra.property)) failures.push(extra);
    }
  }
  return failures;
}

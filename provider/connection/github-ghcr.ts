// GHCR diagnosis: Harbor's github-ghcr adapter pings https://ghcr.io/v2/ whatever endpointUrl says.
import { connectionFailure, endpointLabel } from "./failure";
import { HARBOR_SIDE } from "./harbor-ping";
import type { ProbeOptions } from "./http-probe";
import { explainNativeOutcome, probeRegistryV2, remoteWorksFromHere, type HarborSaid, type NativeOutcome, type ProbeCredentials } from "./native-probe";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** The registry Harbor's githubcr adapter pings (fixed in Harbor). */
export const GHCR_URL = "https://ghcr.io";

function whatFailed(outcome: NativeOutcome, timeoutMs: number): string | undefined {
  switch (outcome.kind) {
    case "unreachable":
    case "tls":
    case "protocol":
      return `ghcr.io is unreachable from here too (${outcome.code})`;
    case "timeout":
      return `ghcr.io did not answer within ${Math.round(timeoutMs / 100) / 10} s from here either`;
    case "server-error":
    case "not-registry":
    case "redirect":
      return `GET https://ghcr.io/v2/ answered ${outcome.status} from here too`;
    case "https-required":
      return "ghcr.io did not answer as a registry from here either";
    default:
      return undefined;
  }
}

/** Explains why Harbor found a github-ghcr endpoint unhealthy; ghcr.io problems are Harbor's egress, not endpointUrl. */
export async function diagnoseGithubGhcr(
  target: ConnectionTarget,
  harbor: HarborSaid,
  options: ProbeOptions,
  credentials: ProbeCredentials | undefined,
): Promise<ConnectionFailure> {
  // GHCR's certificates are public: the endpoint's own CA/insecure settings do not apply to the fixed host.
  const outcome = await probeRegistryV2(GHCR_URL, credentials, { ...options, insecure: false, caCertificate: undefined });
  const failed = whatFailed(outcome, options.timeoutMs);
  if (failed !== undefined) {
    return connectionFailure(
      target,
      HARBOR_SIDE,
      `${harbor.summary} for ${endpointLabel(target)}, and ${failed}; Harbor's github-ghcr adapter always contacts https://ghcr.io, whatever endpointUrl says, so this machine and probably Harbor lack egress to ghcr.io${harbor.note}.`,
    );
  }
  if (outcome.kind === "accepted") {
    return remoteWorksFromHere(target, harbor, `ghcr.io is reachable${outcome.loggedIn ? " and accepted the credentials" : ""}`, "ghcr.io", HARBOR_SIDE);
  }
  // Rejected credentials name accessId/accessSecret, as for any registry.
  return explainNativeOutcome(target, GHCR_URL, outcome, harbor, options.timeoutMs);
}

// Rule harbor-endpoint-docker-hub-credentials: docker-hub endpoints carry an access id and secret.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { cannotCheckUntilKnown, knownValues, providerType, text } from "../endpoint";
import { endpointRule } from "../rule";

/**
 * `harbor-endpoint-docker-hub-credentials` (default: advisory): a `docker-hub` endpoint must set `accessId` and
 * `accessSecret`, because anonymous pulls from Docker Hub are rate-limited per IP address and replications or
 * proxy-cache pulls then fail. No configuration.
 */
export const harborEndpointDockerHubCredentials: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-docker-hub-credentials",
  description: "Docker Hub endpoints must carry credentials: anonymous pulls hit Docker Hub's rate limits.",
  enforcementLevel: "advisory",
  remediationSteps: "Set accessId to a Docker Hub user and accessSecret to one of its access tokens (a Pulumi secret).",
  validate({ endpoint, report }) {
    const type = providerType(knownValues(endpoint, ["providerName"]).providerName);
    if (type !== "docker-hub") return;
    const credentials = (["accessId", "accessSecret"] as const).map((key) => ({ key, field: endpoint.field(key) }));
    // A credential known to be missing is a violation even while the other one is still unknown.
    const missing = credentials.filter(({ field }) => field.known && text(field.value) === undefined).map(({ key }) => key);
    if (missing.length === 0) {
      const unknown = credentials.filter(({ field }) => !field.known);
      if (unknown.length > 0) throw cannotCheckUntilKnown(endpoint.label, unknown.map(({ key }) => key), unknown.map(({ field }) => field));
      return;
    }
    report(
      `${endpoint.label}: a docker-hub endpoint without ${missing.join(" and ")} pulls anonymously and hits Docker Hub's rate limits; ` +
        "set accessId to a Docker Hub user and accessSecret to one of its access tokens (as a Pulumi secret)",
    );
  },
});

// Rule harbor-endpoints-unique-target (stack policy): no two endpoints share a target URL and access id.
import type { StackValidationPolicy } from "@pulumi/policy/policy";
import {
  cannotCheckUntilKnownMessage,
  endpointUrlOf,
  type EndpointInPolicy,
  isCannotCheckUntilKnown,
  knownValues,
  registryEndpointOf,
  text,
  uncheckableFields,
} from "../endpoint";
import { parseEndpointUrl } from "../host-glob";

/** What makes two endpoints the same target: the Harbor they live in, the remote URL and the access id. */
function targetKey(endpoint: EndpointInPolicy): { key: string; display: string; accessId: string | undefined } | undefined {
  const url = endpointUrlOf(endpoint);
  if (url === undefined) return undefined;
  const { accessId } = knownValues(endpoint, ["accessId"]);
  // Endpoints declared against different Harbor connections may share a target.
  const connection = endpoint.field("connection");
  const harbor = connection.known ? (text(connection.value) ?? "") : "";
  const display = parseEndpointUrl(url)?.display ?? url;
  return { key: JSON.stringify([harbor, display, text(accessId) ?? ""]), display, accessId: text(accessId) };
}

/**
 * Whether two resources are one Harbor endpoint: `RegistryEndpoint.get` of an endpoint the stack also manages reads
 * the same record (same `registryId`), which is no duplicate.
 */
function sameHarborRecord(a: EndpointInPolicy, b: EndpointInPolicy): boolean {
  const [ida, idb] = [a.field("registryId"), b.field("registryId")];
  return ida.known && idb.known && ida.value !== undefined && ida.value === idb.value;
}

/**
 * `harbor-endpoints-unique-target` (stack policy, default: advisory): no two endpoints may point at the same URL with
 * the same access id (anonymous counts as one id). Duplicates split replication rules and proxy-cache projects
 * across two records that must be kept in sync, and a rotated secret updated in one stays stale in the other.
 */
export const harborEndpointsUniqueTarget: StackValidationPolicy = {
  name: "harbor-endpoints-unique-target",
  description: "No two registry endpoints may point at the same URL with the same access id.",
  enforcementLevel: "advisory",
  remediationSteps: "Keep one of the endpoints and reference its registryId from every replication policy and proxy-cache project.",
  validateStack: (args, reportViolation) => {
    const first = new Map<string, EndpointInPolicy>();
    const notYetKnown: { endpoint: EndpointInPolicy; error: Error }[] = [];
    for (const resource of args.resources) {
      const endpoint = registryEndpointOf(resource);
      if (endpoint === undefined) continue;
      let target: ReturnType<typeof targetKey>;
      try {
        target = targetKey(endpoint);
      } catch (e) {
        if (!isCannotCheckUntilKnown(e)) throw e;
        notYetKnown.push({ endpoint, error: e });
        continue;
      }
      if (target === undefined) continue;
      const earlier = first.get(target.key);
      if (earlier === undefined) {
        first.set(target.key, endpoint);
        continue;
      }
      if (sameHarborRecord(earlier, endpoint)) continue;
      const who = target.accessId === undefined ? "anonymously" : `with access id ${JSON.stringify(target.accessId)}`;
      reportViolation(
        `${endpoint.label} and ${earlier.label} both point at ${target.display} ${who}; ` +
          "keep one endpoint and reference its registryId from every replication policy and proxy-cache project",
        endpoint.urn,
      );
    }
    if (notYetKnown.length > 0) {
      // Rethrow the caught error itself: under @pulumi/policy it is the proxy's own class, which the engine reports as
      // an advisory note rather than a failure.
      const error = notYetKnown[0]!.error;
      const subject = notYetKnown.map((n) => `${n.endpoint.label} (${uncheckableFields(n.error).join(" and ")})`).join(", ");
      error.message = cannotCheckUntilKnownMessage(`the target of ${subject}`);
      throw error;
    }
  },
};

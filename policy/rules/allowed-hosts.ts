// Rule harbor-endpoint-allowed-hosts: the endpoint's host matches one of the approved host globs.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { endpointUrlOf } from "../endpoint";
import { firstMatchingGlob, parseEndpointUrl } from "../host-glob";
import { endpointRule } from "../rule";
import { hostGlobList } from "../rule-config";

const config = z.object({
  allowedHosts: hostGlobList("Host globs endpoints may point at, e.g. *.example.com or registry.example.com:5000. Default: any host.").optional(),
});

/** Configuration of {@link harborEndpointAllowedHosts}. */
export interface AllowedHostsConfig {
  /**
   * Host globs the endpoint URL's host must match: `*` matches any run of characters (dots included), `?` one
   * character, an optional `:port` must match too. Default: any host.
   */
  allowedHosts?: string[];
}

/**
 * `harbor-endpoint-allowed-hosts` (default: advisory): the host of `endpointUrl` (for docker-hub and github-ghcr their
 * fixed host) must match one of `allowedHosts`, so Harbor only holds credentials for approved registries. Without
 * `allowedHosts` any host is allowed.
 */
export const harborEndpointAllowedHosts: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-allowed-hosts",
  description: "Registry endpoints must point at an approved registry host, so Harbor only holds credentials for approved hosts.",
  enforcementLevel: "advisory",
  remediationSteps: "Point endpointUrl at an approved registry, or ask the policy owner to add the host to allowedHosts.",
  config,
  validate({ endpoint, config, report }) {
    if (config.allowedHosts === undefined) return;
    const url = endpointUrlOf(endpoint);
    if (url === undefined) return;
    const target = parseEndpointUrl(url);
    if (target !== undefined && firstMatchingGlob(config.allowedHosts, target) !== undefined) return;
    report(
      `${endpoint.label}: endpointUrl ${target === undefined ? "is not an absolute http(s) URL and" : `host ${JSON.stringify(target.host)}`} ` +
        `matches none of the allowed hosts (${config.allowedHosts.join(", ") || "none are allowed"}); ` +
        "point it at an approved registry, or ask the policy owner to add the host to allowedHosts",
    );
  },
});

// Rule harbor-endpoint-https: the endpoint URL uses https:// unless its host is exempt.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { endpointUrlOf } from "../endpoint";
import { firstMatchingGlob, parseEndpointUrl } from "../host-glob";
import { endpointRule } from "../rule";
import { hostGlobList } from "../rule-config";

/** Loopback hosts: plain HTTP to them never leaves the machine Harbor runs on. */
export const DEFAULT_HTTPS_EXEMPT_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "::1"];

const config = z.object({
  exemptHosts: hostGlobList("Host globs (e.g. *.lab.example.com, 10.0.0.7:5000) allowed to use plain http://. Default: loopback hosts.")
    .default([...DEFAULT_HTTPS_EXEMPT_HOSTS]),
});

/** Configuration of {@link harborEndpointHttps}. */
export interface HttpsConfig {
  /**
   * Host globs allowed to use `http://`: `*` matches any run of characters (dots included), `?` one character, an
   * optional `:port` must match too. Default: `localhost`, `127.0.0.1`, `::1`; setting the list replaces the default.
   */
  exemptHosts?: string[];
}

/**
 * `harbor-endpoint-https` (default: mandatory): `endpointUrl` must be `https://`, because over `http://` the access
 * secret and every image cross the network in clear text. Config: `exemptHosts` (globs; default: loopback hosts).
 */
export const harborEndpointHttps: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-https",
  description: "Registry endpoints must be reached over https://, so credentials and images are encrypted in transit.",
  enforcementLevel: "mandatory",
  remediationSteps: "Use the registry's https:// URL; exempt a host that has no TLS with the rule's exemptHosts config.",
  config,
  validate({ endpoint, config, report }) {
    const url = endpointUrlOf(endpoint);
    if (url === undefined) return;
    const target = parseEndpointUrl(url);
    if (target === undefined) {
      report(`${endpoint.label}: endpointUrl is not an absolute http(s) URL; set it to the registry's https:// URL`);
      return;
    }
    if (target.scheme === "https" || firstMatchingGlob(config.exemptHosts, target) !== undefined) return;
    report(
      `${endpoint.label}: endpointUrl ${target.display} uses plain http://, so the access secret and images cross the network unencrypted; ` +
        `use the registry's https:// URL (or add ${JSON.stringify(target.host)} to exemptHosts)`,
    );
  },
});

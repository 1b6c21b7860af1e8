// registryEndpointPolicies: every RegistryEndpoint rule, in the order the README documents them.
import type { Policies } from "@pulumi/policy/policy";
import { harborEndpointAllowedHosts } from "./rules/allowed-hosts";
import { harborEndpointAllowedTypes } from "./rules/allowed-types";
import { harborEndpointCaCertificateValid } from "./rules/ca-certificate-valid";
import { harborEndpointConnectionTestEnabled } from "./rules/connection-test-enabled";
import { harborEndpointDockerHubCredentials } from "./rules/docker-hub-credentials";
import { harborEndpointHttps } from "./rules/https";
import { harborEndpointNamePattern } from "./rules/name-pattern";
import { harborEndpointTlsVerified } from "./rules/tls-verified";
import { harborEndpointsUniqueTarget } from "./rules/unique-target";

/**
 * Every rule of this package, each at its default enforcement level: pass it to `new PolicyPack(name, { policies })`
 * and re-level or configure each rule with `--policy-pack-config`. The array is shared by every importer: copy it
 * (`[...registryEndpointPolicies]`) before adding or removing rules.
 */
export const registryEndpointPolicies: Policies = [
  harborEndpointTlsVerified,
  harborEndpointHttps,
  harborEndpointAllowedTypes,
  harborEndpointAllowedHosts,
  harborEndpointDockerHubCredentials,
  harborEndpointConnectionTestEnabled,
  harborEndpointNamePattern,
  harborEndpointCaCertificateValid,
  harborEndpointsUniqueTarget,
];

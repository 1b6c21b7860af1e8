// Rule harbor-endpoint-allowed-types: the endpoint's provider type is one the policy owner approved.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { REGISTRY_PROVIDER_ALIASES, REGISTRY_PROVIDER_TYPES, type RegistryProviderAlias } from "../../provider/registry-endpoint/schema";
import { knownValues, providerType } from "../endpoint";
import { endpointRule } from "../rule";

const TYPE_NAMES = [...REGISTRY_PROVIDER_TYPES, ...(Object.keys(REGISTRY_PROVIDER_ALIASES) as RegistryProviderAlias[])] as const;

const config = z.object({
  allowedTypes: z
    .array(z.enum(TYPE_NAMES))
    .optional()
    .describe("Harbor provider types endpoints may use (Terraform aliases such as aws or google are accepted). Default: all."),
});

/** Configuration of {@link harborEndpointAllowedTypes}. */
export interface AllowedTypesConfig {
  /**
   * Harbor provider types endpoints may use, spelled as in `providerName` (`harbor`, `docker-hub`, `aws-ecr`, …; the
   * aliases `aws`, `google`, … count as their Harbor type). Default: every type.
   */
  allowedTypes?: string[];
}

/**
 * `harbor-endpoint-allowed-types` (default: advisory): `providerName` must be one of `allowedTypes` (aliases such as
 * `aws` count as their Harbor type). Without `allowedTypes` every type is allowed.
 */
export const harborEndpointAllowedTypes: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-allowed-types",
  description: "Registry endpoints must use one of the provider types the policy owner approved.",
  enforcementLevel: "advisory",
  remediationSteps: "Use an approved providerName, or ask the policy owner to add the type to allowedTypes.",
  config,
  validate({ endpoint, config, report }) {
    if (config.allowedTypes === undefined) return;
    const allowed = [...new Set(config.allowedTypes.map((t) => providerType(t)!))];
    const type = providerType(knownValues(endpoint, ["providerName"]).providerName);
    if (type !== undefined && allowed.includes(type)) return;
    report(
      `${endpoint.label}: providerName ${JSON.stringify(type ?? "")} is not an allowed type (${allowed.join(", ") || "none are allowed"}); ` +
        "use one of those types, or ask the policy owner to add it to allowedTypes",
    );
  },
});

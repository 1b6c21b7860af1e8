// The shape every RegistryEndpoint resource rule shares: type filter, configuration, one validate function.
import type { z } from "zod";
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy/policy";
import { type EndpointInPolicy, registryEndpointOf } from "./endpoint";
import { policyConfigSchema, readRuleConfig } from "./rule-config";

/** What a rule's `validate` is given. */
export interface RuleContext<C> {
  /** The endpoint under review. */
  endpoint: EndpointInPolicy;
  /** The rule's configuration, defaults applied. */
  config: C;
  /** Reports one violation; `message` names the endpoint and the field and says how to comply. */
  report(message: string): void;
}

/** The definition of one resource rule. */
export interface EndpointRuleSpec<S extends z.ZodObject> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  remediationSteps: string;
  /** The configuration schema (its defaults included); absent for rules without configuration. */
  config?: S;
  /** Runs on every `RegistryEndpoint`; throws `cannotCheckUntilKnown` when the verdict needs an unknown value. */
  validate(ctx: RuleContext<z.output<S>>): void;
}

/** A CrossGuard resource policy that runs `spec.validate` on `RegistryEndpoint` resources and ignores all others. */
export function endpointRule<S extends z.ZodObject>(spec: EndpointRuleSpec<S>): ResourceValidationPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    remediationSteps: spec.remediationSteps,
    ...(spec.config ? { configSchema: policyConfigSchema(spec.config) } : {}),
    validateResource: (args, reportViolation) => {
      const endpoint = registryEndpointOf(args);
      if (endpoint === undefined) return;
      const config = (spec.config ? readRuleConfig(spec.name, spec.config, args) : {}) as z.output<S>;
      spec.validate({ endpoint, config, report: (message) => reportViolation(message) });
    },
  };
}

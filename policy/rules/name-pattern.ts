// Rule harbor-endpoint-name-pattern: the endpoint's Harbor name follows the naming convention.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { knownValues, text } from "../endpoint";
import { endpointRule } from "../rule";

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "u");
    return undefined;
  } catch {
    return "is not a valid JavaScript regular expression";
  }
}

const config = z.object({
  pattern: z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      const problem = regexProblem(p);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe("JavaScript regular expression the whole Harbor name must match, e.g. ^[a-z0-9]+(-[a-z0-9]+)*$. Default: none (any name)."),
});

/** Configuration of {@link harborEndpointNamePattern}. */
export interface NamePatternConfig {
  /** A JavaScript regular expression (Unicode mode) the whole Harbor name must match. Default: none, any name passes. */
  pattern?: string;
}

/**
 * `harbor-endpoint-name-pattern` (default: advisory): the endpoint's Harbor name (the `name` input, default: the
 * logical name) must match `pattern` as a whole. Without `pattern` every name passes.
 */
export const harborEndpointNamePattern: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-name-pattern",
  description: "Registry endpoint names in Harbor must follow the naming convention (the rule's pattern).",
  enforcementLevel: "advisory",
  remediationSteps: "Set the endpoint's name input (default: the resource name) to a name that matches the pattern.",
  config,
  validate({ endpoint, config, report }) {
    if (config.pattern === undefined) return;
    const name = text(knownValues(endpoint, ["name"]).name) ?? "";
    if (new RegExp(`^(?:${config.pattern})$`, "u").test(name)) return;
    report(
      `${endpoint.label}: name ${JSON.stringify(name)} does not match the required pattern /${config.pattern}/; ` +
        "set the name input (default: the resource name) to a matching name",
    );
  },
});

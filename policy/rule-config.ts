// A rule's configuration: one zod schema per rule gives the pack's JSON config schema, the defaults and the parser.
import { z } from "zod";
import type { PolicyConfigSchema } from "@pulumi/policy/policy";
import { hostGlobProblem } from "./host-glob";

/** What a rule reads its configuration from: the `getConfig` of @pulumi/policy's validation args. */
export interface ConfigSourceInPolicy {
  getConfig<T extends object>(): T;
}

/**
 * The JSON schema the engine validates `--policy-pack-config` against and fills defaults from (properties only: the
 * engine wraps them in an object schema itself).
 */
export function policyConfigSchema(schema: z.ZodObject): PolicyConfigSchema {
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input" }) as { properties?: PolicyConfigSchema["properties"] };
  return { properties: json.properties ?? {} };
}

/**
 * A configuration value the rule cannot use. Its `stack` is the message alone: @pulumi/policy prints an error's stack
 * into the preview, and the one sentence naming the rule and key is what the reviewer needs.
 */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
    this.stack = message;
  }
}

/**
 * The rule's configuration with defaults applied. The engine has validated it against the JSON schema already; the
 * checks a JSON schema cannot express (regular expressions, globs) fail here with an error naming the rule and key.
 */
export function readRuleConfig<S extends z.ZodObject>(rule: string, schema: S, source: ConfigSourceInPolicy): z.output<S> {
  const parsed = schema.safeParse(source.getConfig<object>() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
  throw new PolicyConfigError(`the policy pack's config for ${rule} is invalid: ${key} ${issue.message}`);
}

/** A list of host globs (`*.example.com`, `10.0.0.7:5000`); each must pass {@link hostGlobProblem}. */
export function hostGlobList(description: string): z.ZodArray<z.ZodString> {
  return z
    .array(
      z.string().superRefine((glob, ctx) => {
        const problem = hostGlobProblem(glob);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      }),
    )
    .describe(description);
}

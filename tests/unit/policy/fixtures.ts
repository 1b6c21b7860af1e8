// Builders for the policy unit tests: a RegistryEndpoint as the policy engine shows it, and runners for one rule.
import * as assert from "node:assert/strict";
import type {
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy/policy";
import { REGISTRY_ENDPOINT_TYPE } from "../../../policy";
import { CANARY } from "../registry-endpoint/fixtures";

export { CANARY };

/** The checked inputs of a compliant endpoint, as `check` returns them (with `__provider`, secret unwrapped). */
export const COMPLIANT_PROPS: Readonly<Record<string, unknown>> = {
  providerName: "docker-registry",
  name: "registry-example",
  endpointUrl: "https://registry.example.com",
  accessId: "robot$ci",
  accessSecret: CANARY,
  insecure: false,
  adopt: false,
  __provider: "exports.handler = __f0;",
};

/** Options of {@link resourceArgs}. */
export interface ResourceOptions {
  /** Logical name (default "registry"). */
  name?: string;
  /** The rule's config as `getConfig` returns it (default {}). */
  config?: object;
  /** Resource type (default RegistryEndpoint's). */
  type?: string;
}

/** Validation args for one resource, shaped as @pulumi/policy builds them. */
export function resourceArgs(props: Record<string, unknown>, options: ResourceOptions = {}): ResourceValidationArgs {
  const name = options.name ?? "registry";
  const type = options.type ?? REGISTRY_ENDPOINT_TYPE;
  return {
    type,
    props,
    urn: `urn:pulumi:dev::proj::${type}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: ["accessSecret"] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
}

function validatorOf(policy: ResourceValidationPolicy): ResourceValidation {
  const v = policy.validateResource;
  assert.ok(typeof v === "function", `${policy.name} has one validateResource function`);
  return v;
}

function assertNoSecret(messages: string[]): void {
  for (const m of messages) assert.ok(!m.includes(CANARY), `a violation message carries the secret: ${m}`);
}

/** Runs a resource rule's validator on `props` and returns the violation messages (checked for the canary). */
export function violationsOf(policy: ResourceValidationPolicy, props: Record<string, unknown>, options: ResourceOptions = {}): string[] {
  const messages: string[] = [];
  const result = validatorOf(policy)(resourceArgs(props, options), (message) => messages.push(message));
  assert.equal(result, undefined, "validators are synchronous");
  assertNoSecret(messages);
  return messages;
}

/** Runs the validator expecting "cannot be checked until known" for `fields`; returns the error thrown. */
export function expectCannotCheck(policy: ResourceValidationPolicy, props: Record<string, unknown>, fields: RegExp, options: ResourceOptions = {}): Error {
  const messages: string[] = [];
  let thrown: unknown;
  try {
    validatorOf(policy)(resourceArgs(props, options), (message) => messages.push(message));
  } catch (e) {
    thrown = e;
  }
  assert.deepEqual(messages, [], "no violation is reported for an unknown value");
  assert.ok(thrown instanceof Error, `${policy.name} throws for an unknown value`);
  assert.match(thrown.message, /cannot be checked until known/);
  assert.match(thrown.message, fields);
  assert.ok(!thrown.message.includes(CANARY));
  return thrown;
}

/** One resource of a stack as @pulumi/policy passes it to stack policies. */
export function stackResource(props: Record<string, unknown>, name: string, type = REGISTRY_ENDPOINT_TYPE): StackValidationArgs["resources"][number] {
  const r = resourceArgs(props, { name, type });
  return { type: r.type, props: r.props, urn: r.urn, name: r.name, opts: r.opts, dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined };
}

/** Runs a stack rule and returns its violations (message and urn), checked for the canary. */
export function stackViolationsOf(policy: StackValidationPolicy, resources: StackValidationArgs["resources"]): { message: string; urn?: string }[] {
  const out: { message: string; urn?: string }[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  policy.validateStack(args, (message, urn) => out.push({ message, ...(urn === undefined ? {} : { urn }) }));
  assertNoSecret(out.map((v) => v.message));
  return out;
}

/** `props` wrapped the way @pulumi/policy's server wraps them: reading an unknown value throws its UnknownValueError. */
export function proxiedByPolicySdk(props: Record<string, unknown>): Record<string, unknown> {
  // unknownCheckingProxy is @internal in @pulumi/policy's declarations, so it is loaded untyped.
  const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(o: T): T };
  return proxy.unknownCheckingProxy(props);
}

/** @pulumi/policy's UnknownValueError class (the one its server turns into an advisory note). */
export function policySdkUnknownValueError(): new (...args: never[]) => Error {
  return (require("@pulumi/policy") as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;
}

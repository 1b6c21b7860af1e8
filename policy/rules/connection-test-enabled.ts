// Rule harbor-endpoint-connection-test-enabled: Harbor's Test Connection is not switched off for an endpoint.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { knownValues, text } from "../endpoint";
import { endpointRule } from "../rule";

/** The stack config key and environment variable the provider reads its default `connectionTest` from. */
export const CONNECTION_TEST_DEFAULT_SOURCES = { configKey: "harbor:connectionTest", envVar: "HARBOR_CONNECTION_TEST" } as const;

/**
 * The provider's stack-wide default for `connectionTest` as the policy pack sees it: the stack config (the engine
 * hands a policy pack the stack's config in `PULUMI_CONFIG`), then the environment, else the provider's default.
 */
export function stackDefaultConnectionTest(env: NodeJS.ProcessEnv = process.env): { mode: string; source: string } {
  let config: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(env.PULUMI_CONFIG ?? "{}");
    if (parsed !== null && typeof parsed === "object") config = parsed as Record<string, unknown>;
  } catch {
    // An unreadable PULUMI_CONFIG holds no default.
  }
  const { configKey, envVar } = CONNECTION_TEST_DEFAULT_SOURCES;
  // Older engines pass keys as "<namespace>:config:<name>".
  const fromConfig = text(config[configKey]) ?? text(config[configKey.replace(":", ":config:")]);
  if (fromConfig !== undefined) return { mode: fromConfig, source: configKey };
  const fromEnv = text(env[envVar]);
  if (fromEnv !== undefined) return { mode: fromEnv, source: envVar };
  return { mode: "onChange", source: "the provider's default" };
}

/**
 * `harbor-endpoint-connection-test-enabled` (default: advisory): `connectionTest` must not be `"never"`, neither on
 * the endpoint nor, when the endpoint leaves it unset, as the stack default (`harbor:connectionTest` or
 * `HARBOR_CONNECTION_TEST`): without it a broken endpoint passes the preview and fails only at `pulumi up`.
 */
export const harborEndpointConnectionTestEnabled: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-connection-test-enabled",
  description: "Registry endpoints must keep Harbor's connection test on, so a broken endpoint fails in preview, not during the update.",
  enforcementLevel: "advisory",
  remediationSteps: 'Remove connectionTest: "never" (the default "onChange" tests new and changed endpoints) or set "always".',
  validate({ endpoint, report }) {
    const mode = text(knownValues(endpoint, ["connectionTest"]).connectionTest);
    if (mode === "never") {
      report(
        `${endpoint.label}: connectionTest is "never", so Harbor's Test Connection never runs and a wrong URL or credential surfaces only during \`pulumi up\`; ` +
          'remove the setting (default "onChange") or set "always"',
      );
      return;
    }
    if (mode !== undefined) return;
    const stackDefault = stackDefaultConnectionTest();
    if (stackDefault.mode !== "never") return;
    report(
      `${endpoint.label}: connectionTest is not set and ${stackDefault.source} is "never", so Harbor's Test Connection never runs for it; ` +
        `set connectionTest: "onChange" on the endpoint or change ${stackDefault.source}`,
    );
  },
});

// Unit tests of harbor-endpoint-connection-test-enabled: connectionTest "never", on the endpoint or as stack default.
import * as assert from "node:assert/strict";
import { harborEndpointConnectionTestEnabled } from "../../../../policy";
import { readHarborConfig } from "../../../../provider/config";
import { CONNECTION_TEST_DEFAULT_SOURCES, stackDefaultConnectionTest } from "../../../../policy/rules/connection-test-enabled";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, violationsOf } from "../fixtures";

/** Runs `fn` with PULUMI_CONFIG and HARBOR_CONNECTION_TEST set as given (undefined = unset), then restores them. */
function withEnv(vars: { PULUMI_CONFIG?: string; HARBOR_CONNECTION_TEST?: string }, fn: () => void): void {
  const saved = { PULUMI_CONFIG: process.env.PULUMI_CONFIG, HARBOR_CONNECTION_TEST: process.env.HARBOR_CONNECTION_TEST };
  try {
    for (const [k, v] of Object.entries(vars) as [keyof typeof saved, string | undefined][]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved) as [keyof typeof saved, string | undefined][]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("policy harbor-endpoint-connection-test-enabled", () => {
  it("is advisory by default and has no configuration", () => {
    assert.equal(harborEndpointConnectionTestEnabled.enforcementLevel, "advisory");
    assert.equal(harborEndpointConnectionTestEnabled.configSchema, undefined);
  });

  it("passes onChange, always, and an unset connectionTest under the provider's default", () => {
    withEnv({}, () => {
      for (const connectionTest of ["onChange", "always", undefined]) {
        assert.deepEqual(violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS, connectionTest }), [], String(connectionTest));
      }
    });
  });

  it('reports connectionTest "never" naming the endpoint and the field, with what to do', () => {
    withEnv({}, () => {
      const [message] = violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS, connectionTest: "never" }, { name: "swr" });
      assert.match(message!, /registry endpoint "registry-example" \(resource "swr"\): connectionTest is "never"/);
      assert.match(message!, /remove the setting \(default "onChange"\) or set "always"/);
    });
  });

  it("reports an unset connectionTest when the stack default is never (stack config first, then the environment)", () => {
    withEnv({ PULUMI_CONFIG: JSON.stringify({ "harbor:connectionTest": "never" }) }, () => {
      const [message] = violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS });
      assert.match(message!, /connectionTest is not set and harbor:connectionTest is "never"/);
      assert.deepEqual(violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS, connectionTest: "always" }), []);
    });
    withEnv({ HARBOR_CONNECTION_TEST: "never" }, () => {
      assert.match(violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS })[0]!, /HARBOR_CONNECTION_TEST is "never"/);
    });
    withEnv({ PULUMI_CONFIG: JSON.stringify({ "harbor:connectionTest": "always" }), HARBOR_CONNECTION_TEST: "never" }, () => {
      assert.deepEqual(violationsOf(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS }), []);
    });
  });

  it("reads the stack default from the same keys as the provider", () => {
    const { configKey, envVar } = CONNECTION_TEST_DEFAULT_SOURCES;
    assert.equal(readHarborConfig({ get: (k) => (k === configKey ? "never" : undefined) }, {}).connectionTest, "never");
    assert.equal(readHarborConfig(undefined, { [envVar]: "always" }).connectionTest, "always");
    assert.deepEqual(stackDefaultConnectionTest({ PULUMI_CONFIG: "not json" }), { mode: "onChange", source: "the provider's default" });
    assert.equal(stackDefaultConnectionTest({ PULUMI_CONFIG: JSON.stringify({ "harbor:config:connectionTest": "never" }) }).mode, "never");
  });

  it("cannot check an unknown connectionTest", () => {
    expectCannotCheck(harborEndpointConnectionTestEnabled, { ...COMPLIANT_PROPS, connectionTest: UNKNOWN }, /connectionTest/);
  });
});

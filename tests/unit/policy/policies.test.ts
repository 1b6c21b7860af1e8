// Unit tests of the pack as a whole: rule names, default levels, and config schemas the engine can validate.
import * as assert from "node:assert/strict";
import Ajv from "ajv";
import { registryEndpointPolicies } from "../../../policy";

/** The table: rule name → default enforcement level, config keys. */
const EXPECTED: [string, string, string[]][] = [
  ["harbor-endpoint-tls-verified", "mandatory", ["exemptNames"]],
  ["harbor-endpoint-https", "mandatory", ["exemptHosts"]],
  ["harbor-endpoint-allowed-types", "advisory", ["allowedTypes"]],
  ["harbor-endpoint-allowed-hosts", "advisory", ["allowedHosts"]],
  ["harbor-endpoint-docker-hub-credentials", "advisory", []],
  ["harbor-endpoint-connection-test-enabled", "advisory", []],
  ["harbor-endpoint-name-pattern", "advisory", ["pattern"]],
  ["harbor-endpoint-ca-certificate-valid", "advisory", ["minDaysValid"]],
  ["harbor-endpoints-unique-target", "advisory", []],
];

describe("policy: registryEndpointPolicies", () => {
  it("holds every rule of the issue with its default level and config keys, in order", () => {
    assert.deepEqual(
      registryEndpointPolicies.map((p) => [p.name, p.enforcementLevel, Object.keys(p.configSchema?.properties ?? {})]),
      EXPECTED,
    );
  });

  it("makes harbor-endpoints-unique-target the only stack policy", () => {
    assert.deepEqual(registryEndpointPolicies.filter((p) => "validateStack" in p).map((p) => p.name), ["harbor-endpoints-unique-target"]);
  });

  it("gives every rule a description and remediation steps", () => {
    for (const p of registryEndpointPolicies) {
      assert.ok(p.description.length > 20 && p.remediationSteps !== undefined && p.remediationSteps.length > 20, p.name);
    }
  });

  it("declares config schemas that are valid draft-07 JSON schemas accepting their defaults and rejecting wrong types", () => {
    const ajv = new Ajv({ strict: false });
    for (const p of registryEndpointPolicies) {
      if (!p.configSchema) continue;
      const validate = ajv.compile({ type: "object", properties: p.configSchema.properties });
      const defaults = Object.fromEntries(Object.entries(p.configSchema.properties).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
      assert.ok(validate(defaults), `${p.name} rejects its own defaults: ${JSON.stringify(validate.errors)}`);
      for (const key of Object.keys(p.configSchema.properties)) {
        assert.ok(!validate({ [key]: { wrong: "type" } }), `${p.name}.${key} accepts an object`);
      }
    }
  });
});

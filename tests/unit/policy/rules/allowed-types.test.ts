// Unit tests of harbor-endpoint-allowed-types: providerName must be in allowedTypes when the list is configured.
import * as assert from "node:assert/strict";
import { harborEndpointAllowedTypes } from "../../../../policy";
import { REGISTRY_PROVIDER_TYPES, UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, violationsOf } from "../fixtures";

describe("policy harbor-endpoint-allowed-types", () => {
  it("is advisory by default and allows every type without allowedTypes", () => {
    assert.equal(harborEndpointAllowedTypes.enforcementLevel, "advisory");
    for (const providerName of REGISTRY_PROVIDER_TYPES) {
      assert.deepEqual(violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName }), []);
    }
  });

  it("offers every Harbor type and alias in the config schema's enum", () => {
    const items = harborEndpointAllowedTypes.configSchema?.properties.allowedTypes?.items as { enum?: string[] };
    assert.ok(items.enum?.includes("huawei-SWR") && items.enum.includes("aws"));
  });

  it("passes a listed type, aliases on either side included", () => {
    const config = { allowedTypes: ["docker-registry", "aws"] };
    assert.deepEqual(violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS }, { config }), []);
    assert.deepEqual(violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName: "aws-ecr" }, { config }), []);
    assert.deepEqual(violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName: "quay" }, { config: { allowedTypes: ["quay-io"] } }), []);
  });

  it("reports an unlisted type naming the endpoint, the field and the allowed types", () => {
    const [message] = violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName: "quay" }, { config: { allowedTypes: ["harbor", "docker-hub"] } });
    assert.match(message!, /registry endpoint "registry-example" \(resource "registry"\): providerName "quay" is not an allowed type \(harbor, docker-hub\)/);
    assert.match(message!, /add it to allowedTypes/);
  });

  it("cannot check an unknown providerName when a list is configured", () => {
    expectCannotCheck(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName: UNKNOWN }, /providerName/, { config: { allowedTypes: ["harbor"] } });
    assert.deepEqual(violationsOf(harborEndpointAllowedTypes, { ...COMPLIANT_PROPS, providerName: UNKNOWN }), []);
  });
});

// Unit tests of harbor-endpoint-tls-verified: insecure: true is a violation unless the endpoint is exempt.
import * as assert from "node:assert/strict";
import { harborEndpointTlsVerified } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, violationsOf } from "../fixtures";

describe("policy harbor-endpoint-tls-verified", () => {
  it("is mandatory by default and declares exemptNames in its config schema", () => {
    assert.equal(harborEndpointTlsVerified.enforcementLevel, "mandatory");
    assert.deepEqual(Object.keys(harborEndpointTlsVerified.configSchema?.properties ?? {}), ["exemptNames"]);
    assert.deepEqual(harborEndpointTlsVerified.configSchema?.properties.exemptNames?.default, []);
  });

  it("passes an endpoint with insecure false or unset", () => {
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, { ...COMPLIANT_PROPS }), []);
    const { insecure: _dropped, ...withoutInsecure } = COMPLIANT_PROPS;
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, withoutInsecure), []);
  });

  it("reports insecure: true naming the Harbor name, the logical name and the field, with what to do", () => {
    const [message, ...rest] = violationsOf(harborEndpointTlsVerified, { ...COMPLIANT_PROPS, insecure: true }, { name: "mirror" });
    assert.deepEqual(rest, []);
    assert.match(message!, /registry endpoint "registry-example" \(resource "mirror"\)/);
    assert.match(message!, /insecure is true/);
    assert.match(message!, /set insecure: false/);
    assert.match(message!, /caCertificate/);
  });

  it("exempts an endpoint listed in exemptNames by its Harbor name or by its logical name", () => {
    const props = { ...COMPLIANT_PROPS, insecure: true };
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, props, { config: { exemptNames: ["registry-example"] } }), []);
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, props, { name: "lab", config: { exemptNames: ["lab"] } }), []);
    assert.equal(violationsOf(harborEndpointTlsVerified, props, { config: { exemptNames: ["other"] } }).length, 1);
  });

  it("cannot check an unknown insecure, and reports no violation", () => {
    expectCannotCheck(harborEndpointTlsVerified, { ...COMPLIANT_PROPS, insecure: UNKNOWN }, /insecure/);
  });

  it("needs the Harbor name only when exemptions could apply", () => {
    const props = { ...COMPLIANT_PROPS, insecure: true, name: UNKNOWN };
    assert.equal(violationsOf(harborEndpointTlsVerified, props).length, 1);
    expectCannotCheck(harborEndpointTlsVerified, props, /name/, { config: { exemptNames: ["registry-example"] } });
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, props, { name: "lab", config: { exemptNames: ["lab"] } }), []);
  });

  it("ignores resources that are not RegistryEndpoints", () => {
    assert.deepEqual(violationsOf(harborEndpointTlsVerified, { insecure: true }, { type: "aws:s3/bucket:Bucket" }), []);
  });
});

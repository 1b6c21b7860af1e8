// Unit tests of harbor-endpoints-unique-target: no two endpoints with the same URL and access id in one stack.
import * as assert from "node:assert/strict";
import { harborEndpointsUniqueTarget } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { CANARY, COMPLIANT_PROPS, policySdkUnknownValueError, proxiedByPolicySdk, stackResource, stackViolationsOf } from "../fixtures";

describe("policy harbor-endpoints-unique-target", () => {
  it("is an advisory stack policy", () => {
    assert.equal(harborEndpointsUniqueTarget.enforcementLevel, "advisory");
    assert.equal(typeof harborEndpointsUniqueTarget.validateStack, "function");
  });

  it("passes endpoints that differ in URL or access id, and ignores other resources", () => {
    const violations = stackViolationsOf(harborEndpointsUniqueTarget, [
      stackResource({ ...COMPLIANT_PROPS, name: "a" }, "a"),
      stackResource({ ...COMPLIANT_PROPS, name: "b", accessId: "robot$other" }, "b"),
      stackResource({ ...COMPLIANT_PROPS, name: "c", endpointUrl: "https://registry.example.com/other" }, "c"),
      stackResource({ endpointUrl: "https://registry.example.com", accessId: "robot$ci" }, "bucket", "aws:s3/bucket:Bucket"),
    ]);
    assert.deepEqual(violations, []);
  });

  it("reports the second endpoint with the same target against its own URN, naming both", () => {
    const violations = stackViolationsOf(harborEndpointsUniqueTarget, [
      stackResource({ ...COMPLIANT_PROPS, name: "first" }, "one"),
      stackResource({ ...COMPLIANT_PROPS, name: "second", endpointUrl: "https://REGISTRY.example.com/", accessSecret: `${CANARY}-2` }, "two"),
    ]);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!.urn!, /::two$/);
    assert.match(violations[0]!.message, /registry endpoint "second" \(resource "two"\) and registry endpoint "first" \(resource "one"\) both point at https:\/\/registry\.example\.com with access id "robot\$ci"/);
  });

  it("does not count RegistryEndpoint.get of a managed endpoint (the same registryId) as a duplicate", () => {
    const violations = stackViolationsOf(harborEndpointsUniqueTarget, [
      stackResource({ ...COMPLIANT_PROPS, registryId: 7 }, "managed"),
      stackResource({ ...COMPLIANT_PROPS, registryId: 7 }, "looked-up"),
      stackResource({ ...COMPLIANT_PROPS, name: "new-copy", registryId: UNKNOWN }, "new-copy"),
    ]);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!.urn!, /::new-copy$/);
  });

  it("counts anonymous endpoints as one access id, and docker-hub's fixed URL as its URL", () => {
    const violations = stackViolationsOf(harborEndpointsUniqueTarget, [
      stackResource({ providerName: "docker-hub", name: "hub-a" }, "a"),
      stackResource({ providerName: "docker-hub", name: "hub-b", endpointUrl: "https://hub.docker.com" }, "b"),
    ]);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!.message, /both point at https:\/\/hub\.docker\.com anonymously/);
  });

  it("reports the known duplicates and then notes the endpoints whose target is not yet known", () => {
    const resources = [
      stackResource({ ...COMPLIANT_PROPS, name: "a" }, "a"),
      stackResource({ ...COMPLIANT_PROPS, name: "b" }, "b"),
      stackResource(proxiedByPolicySdk({ ...COMPLIANT_PROPS, name: "c", endpointUrl: UNKNOWN }), "c"),
    ];
    const seen: string[] = [];
    const validate = harborEndpointsUniqueTarget.validateStack;
    let thrown: unknown;
    try {
      validate({ resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: (): never => { throw new Error("n/a"); } }, (m) => seen.push(m));
    } catch (e) {
      thrown = e;
    }
    assert.equal(seen.length, 1);
    assert.ok(thrown instanceof policySdkUnknownValueError(), "the proxy's own error, which @pulumi/policy reports as advisory");
    assert.match((thrown as Error).message, /^the target of registry endpoint "c" \(resource "c"\) \(endpointUrl\) cannot be checked until known/);
  });
});

// Unit tests of how the rules read a RegistryEndpoint: type filter, labels, unknown values with and without @pulumi/policy's proxy.
import * as assert from "node:assert/strict";
import { EndpointValueUnknownError, REGISTRY_ENDPOINT_TYPE } from "../../../policy";
import { cannotCheckUntilKnown, endpointUrlOf, isCannotCheckUntilKnown, knownValues, readField, registryEndpointOf } from "../../../policy/endpoint";
import { UNKNOWN } from "../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, policySdkUnknownValueError, proxiedByPolicySdk } from "./fixtures";

/** Every unknown sentinel of @pulumi/policy: string, boolean, number, array, asset, archive, object. */
const SENTINELS = [
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

function resource(props: Record<string, unknown>, name = "reg", type = REGISTRY_ENDPOINT_TYPE) {
  return { type, props, name, urn: `urn:pulumi:s::p::${type}::${name}` };
}

describe("policy: reading a RegistryEndpoint", () => {
  it("uses the type token the SDK registers (pinned by the SDK's own unit test)", () => {
    assert.equal(REGISTRY_ENDPOINT_TYPE, "pulumi-nodejs:dynamic/harbor:RegistryEndpoint");
    assert.equal(registryEndpointOf(resource({}, "x", "pulumi-nodejs:dynamic:Resource")), undefined);
  });

  it("labels an endpoint by Harbor name and logical name, and says when the Harbor name is not yet known", () => {
    assert.equal(registryEndpointOf(resource({ name: "hub" }, "docker-hub"))!.label, 'registry endpoint "hub" (resource "docker-hub")');
    assert.equal(registryEndpointOf(resource({ name: UNKNOWN }, "docker-hub"))!.label, 'registry endpoint (resource "docker-hub", Harbor name not yet known)');
  });

  it("reads every unknown sentinel as not known, and absent inputs as known", () => {
    for (const s of SENTINELS) assert.deepEqual(readField({ x: s }, "x"), { known: false }, s);
    assert.deepEqual(readField({}, "x"), { known: true, value: undefined });
    assert.deepEqual(knownValues(registryEndpointOf(resource({ a: 1 }))!, ["a", "b"]), { a: 1, b: undefined });
  });

  it("throws its own branded error for unknowns in plain props, naming every unknown field", () => {
    const endpoint = registryEndpointOf(resource({ ...COMPLIANT_PROPS, endpointUrl: UNKNOWN, accessId: UNKNOWN }))!;
    assert.throws(
      () => knownValues(endpoint, ["endpointUrl", "accessId", "name"]),
      (e: unknown) => e instanceof EndpointValueUnknownError && isCannotCheckUntilKnown(e) &&
        /registry endpoint "registry-example" \(resource "reg"\): endpointUrl and accessId cannot be checked until known; the rule checks again during `pulumi up`/.test(e.message),
    );
  });

  it("under @pulumi/policy's proxy, rethrows the proxy's own UnknownValueError with the rule's message", () => {
    const props = proxiedByPolicySdk({ ...COMPLIANT_PROPS, endpointUrl: UNKNOWN });
    const field = readField(props, "endpointUrl");
    assert.equal(field.known, false);
    const error = cannotCheckUntilKnown("registry endpoint \"x\" (resource \"y\")", ["endpointUrl"], [field]);
    assert.ok(error instanceof policySdkUnknownValueError());
    assert.ok(isCannotCheckUntilKnown(error));
    assert.match(error.message, /^registry endpoint "x" \(resource "y"\): endpointUrl cannot be checked until known/);
    assert.throws(() => endpointUrlOf(registryEndpointOf(resource(props))!), policySdkUnknownValueError());
  });

  it("takes the fixed URL of docker-hub and github-ghcr when endpointUrl is absent, and needs providerName only then", () => {
    assert.equal(endpointUrlOf(registryEndpointOf(resource({ providerName: "docker-hub" }))!), "https://hub.docker.com");
    assert.equal(endpointUrlOf(registryEndpointOf(resource({ providerName: "github" }))!), "https://ghcr.io");
    assert.equal(endpointUrlOf(registryEndpointOf(resource({ providerName: UNKNOWN, endpointUrl: "https://r.example.com" }))!), "https://r.example.com");
    assert.equal(endpointUrlOf(registryEndpointOf(resource({ providerName: "harbor" }))!), undefined);
  });
});

// Unit tests of harbor-endpoint-allowed-hosts: the URL's host must match a glob of allowedHosts when configured.
import * as assert from "node:assert/strict";
import { harborEndpointAllowedHosts } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, violationsOf } from "../fixtures";

const config = { allowedHosts: ["*.example.com", "hub.docker.com"] };

describe("policy harbor-endpoint-allowed-hosts", () => {
  it("is advisory by default and allows any host without allowedHosts", () => {
    assert.equal(harborEndpointAllowedHosts.enforcementLevel, "advisory");
    assert.deepEqual(violationsOf(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS, endpointUrl: "https://anything.invalid" }), []);
  });

  it("passes hosts matching a glob, case-insensitively, and the fixed host of docker-hub", () => {
    assert.deepEqual(violationsOf(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS }, { config }), []);
    assert.deepEqual(violationsOf(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS, endpointUrl: "https://Harbor.EU.Example.com/" }, { config }), []);
    assert.deepEqual(violationsOf(harborEndpointAllowedHosts, { providerName: "docker-hub", name: "hub" }, { config }), []);
  });

  it("reports a host outside the list naming the endpoint, the field, the host and the list", () => {
    const [message] = violationsOf(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS, endpointUrl: "https://example.com.evil.test" }, { config });
    assert.match(message!, /registry endpoint "registry-example" \(resource "registry"\): endpointUrl host "example\.com\.evil\.test" matches none of the allowed hosts \(\*\.example\.com, hub\.docker\.com\)/);
    assert.match(message!, /add the host to allowedHosts/);
  });

  it("treats an empty list as allowing no host", () => {
    assert.equal(violationsOf(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS }, { config: { allowedHosts: [] } }).length, 1);
  });

  it("cannot check an unknown URL when a list is configured", () => {
    expectCannotCheck(harborEndpointAllowedHosts, { ...COMPLIANT_PROPS, endpointUrl: UNKNOWN }, /endpointUrl/, { config });
  });
});

// Unit tests of harbor-endpoint-https: endpointUrl must be https:// unless the host matches exemptHosts.
import * as assert from "node:assert/strict";
import { DEFAULT_HTTPS_EXEMPT_HOSTS, harborEndpointHttps } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, resourceArgs, violationsOf } from "../fixtures";

const plain = { ...COMPLIANT_PROPS, endpointUrl: "http://registry.internal.example.com:5000/v2" };

describe("policy harbor-endpoint-https", () => {
  it("is mandatory by default and exempts loopback hosts by default", () => {
    assert.equal(harborEndpointHttps.enforcementLevel, "mandatory");
    assert.deepEqual(harborEndpointHttps.configSchema?.properties.exemptHosts?.default, [...DEFAULT_HTTPS_EXEMPT_HOSTS]);
  });

  it("passes https:// endpoints and fixed-endpoint types without a URL", () => {
    assert.deepEqual(violationsOf(harborEndpointHttps, { ...COMPLIANT_PROPS }), []);
    assert.deepEqual(violationsOf(harborEndpointHttps, { providerName: "docker-hub", name: "hub" }), []);
  });

  it("reports http:// naming the endpoint, the field and the host, without user-info or query", () => {
    const [message] = violationsOf(harborEndpointHttps, { ...plain, endpointUrl: "http://user:pw-in-url@registry.internal.example.com:5000/v2?x=1" }, { name: "mirror" });
    assert.match(message!, /registry endpoint "registry-example" \(resource "mirror"\)/);
    assert.match(message!, /endpointUrl http:\/\/registry\.internal\.example\.com:5000\/v2 uses plain http:\/\//);
    assert.match(message!, /use the registry's https:\/\/ URL/);
    assert.doesNotMatch(message!, /pw-in-url|x=1/);
  });

  it("exempts loopback hosts by default, and configured globs (with ports) instead when set", () => {
    for (const url of ["http://127.0.0.1:8080", "http://localhost:5000", "http://[::1]:5000"]) {
      assert.deepEqual(violationsOf(harborEndpointHttps, { ...plain, endpointUrl: url }), [], url);
    }
    const exempt = { config: { exemptHosts: ["*.internal.example.com"] } };
    assert.deepEqual(violationsOf(harborEndpointHttps, plain, exempt), []);
    assert.equal(violationsOf(harborEndpointHttps, { ...plain, endpointUrl: "http://127.0.0.1:8080" }, exempt).length, 1, "the config replaces the default");
    assert.deepEqual(violationsOf(harborEndpointHttps, plain, { config: { exemptHosts: ["registry.internal.example.com:5000"] } }), []);
    assert.equal(violationsOf(harborEndpointHttps, plain, { config: { exemptHosts: ["registry.internal.example.com:443"] } }).length, 1);
  });

  it("rejects a config glob that is a URL, naming the rule and the key", () => {
    const validate = harborEndpointHttps.validateResource as (a: unknown, r: () => void) => void;
    assert.throws(
      () => validate(resourceArgs(plain, { config: { exemptHosts: ["ok.example.com", "https://x.example.com"] } }), () => {}),
      /harbor-endpoint-https is invalid: exemptHosts\[1\] must be a host name or glob/,
    );
  });

  it("cannot check an unknown URL, and reports no violation", () => {
    expectCannotCheck(harborEndpointHttps, { ...plain, endpointUrl: UNKNOWN }, /endpointUrl/);
  });
});

// Unit tests of endpoint URL parsing and host globs (*.example.com, ports, IPv6) used by the https and allowed-hosts rules.
import * as assert from "node:assert/strict";
import { hostGlobProblem, matchesHostGlob, parseEndpointUrl } from "../../../policy/host-glob";

function matches(glob: string, url: string): boolean {
  return matchesHostGlob(glob, parseEndpointUrl(url)!);
}

describe("policy: endpoint URLs and host globs", () => {
  it("parses scheme, lower-case host, effective port and a printable form without user-info, query or fragment", () => {
    assert.deepEqual(parseEndpointUrl("HTTPS://u:p@Registry.Example.com/v2/?q=1#f"), { scheme: "https", host: "registry.example.com", port: 443, display: "https://registry.example.com/v2" });
    assert.deepEqual(parseEndpointUrl("http://[::1]:5000"), { scheme: "http", host: "::1", port: 5000, display: "http://[::1]:5000" });
    assert.equal(parseEndpointUrl("http://r.example.com")!.port, 80);
    assert.equal(parseEndpointUrl("ftp://r.example.com"), undefined);
    assert.equal(parseEndpointUrl("not a url"), undefined);
  });

  it("matches * across labels and ? as one character, anchored at both ends, case-insensitively", () => {
    assert.ok(matches("*.example.com", "https://harbor.example.com"));
    assert.ok(matches("*.example.com", "https://a.b.example.com"));
    assert.ok(matches("*.EXAMPLE.com", "https://Harbor.example.com"));
    assert.ok(!matches("*.example.com", "https://example.com"));
    assert.ok(!matches("*.example.com", "https://example.com.evil.test"));
    assert.ok(!matches("*.example.com", "https://evilexample.com"));
    assert.ok(matches("registry-?.example.com", "https://registry-1.example.com"));
    assert.ok(!matches("registry-?.example.com", "https://registry-10.example.com"));
    assert.ok(matches("10.0.*", "http://10.0.3.4:5000"));
  });

  it("compares the port only when the glob names one, and understands IPv6 literals", () => {
    assert.ok(matches("registry.example.com:5000", "http://registry.example.com:5000"));
    assert.ok(!matches("registry.example.com:5000", "http://registry.example.com"));
    assert.ok(matches("registry.example.com:443", "https://registry.example.com"));
    assert.ok(matches("::1", "http://[::1]:5000"));
    assert.ok(matches("[::1]", "http://[::1]:5000"));
    assert.ok(matches("[::1]:5000", "http://[::1]:5000"));
    assert.ok(!matches("[::1]:5001", "http://[::1]:5000"));
  });

  it("explains globs it cannot use", () => {
    assert.equal(hostGlobProblem("*.example.com"), undefined);
    assert.equal(hostGlobProblem("[fd00::1]:5000"), undefined);
    assert.match(hostGlobProblem("")!, /must not be empty/);
    assert.match(hostGlobProblem("https://x.example.com")!, /not a URL/);
    assert.match(hostGlobProblem("bad host")!, /must be a host name or glob/);
    assert.match(hostGlobProblem("x.example.com:99999")!, /port/);
  });
});

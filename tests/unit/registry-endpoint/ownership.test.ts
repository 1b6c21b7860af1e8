// Unit: the ownership ledger refuses a second claim on one Harbor name and name swaps within one run.
import * as assert from "node:assert/strict";
import { OwnershipLedger } from "../../../provider/registry-endpoint/ownership";

const H = "https://harbor.example.com";
const at = (name: string, harbor = H, connection = "default") => ({ harbor, connection, name });

describe("unit: OwnershipLedger", () => {
  it("lets each logical name claim its Harbor name, and the same logical name claim it again", () => {
    const l = new OwnershipLedger();
    assert.equal(l.claim("a", at("x")), undefined);
    assert.equal(l.claim("b", at("y")), undefined);
    assert.equal(l.claim("a", at("x")), undefined);
    assert.equal(l.ownerOfName(H, "x"), "a");
  });

  it("refuses a second logical name on one Harbor name, naming both, the name and the Harbor", () => {
    const l = new OwnershipLedger();
    l.claim("first", at("shared"));
    const why = l.claim("second", at("shared"));
    assert.match(why!, /^RegistryEndpoint "second" and RegistryEndpoint "first" both resolve to the Harbor name "shared" on the Harbor at https:\/\/harbor\.example\.com \(connection "default"\)/);
    assert.match(why!, /deleting either deletes it/);
    assert.equal(l.ownerOfName(H, "shared"), "first");
  });

  it("treats two connections to one Harbor URL (any case) as one Harbor, and different Harbors as different", () => {
    const l = new OwnershipLedger();
    l.claim("a", at("x", H, "default"));
    assert.match(l.claim("b", at("x", "HTTPS://HARBOR.example.com", "replica"))!, /RegistryEndpoint "a" \(through connection "default"\)/);
    assert.equal(l.claim("c", at("x", "https://other.example.com", "eu")), undefined);
  });

  it("refuses taking a name another resource gives up in the same run, in either order", () => {
    const l1 = new OwnershipLedger();
    assert.equal(l1.claim("old", at("y"), at("x")), undefined); // old: x → y
    assert.match(l1.claim("new", at("x"))!, /^RegistryEndpoint "new" takes the Harbor name "x" .* that RegistryEndpoint "old" gives up in the same update/);
    const l2 = new OwnershipLedger();
    assert.equal(l2.claim("new", at("x")), undefined);
    assert.match(l2.claim("old", at("y"), at("x"))!, /^RegistryEndpoint "new" takes the Harbor name "x" .* that RegistryEndpoint "old" gives up/);
    // A rename alone is fine, as is keeping a name.
    const l3 = new OwnershipLedger();
    assert.equal(l3.claim("r", at("b"), at("a")), undefined);
    assert.equal(l3.claim("k", at("k"), at("k")), undefined);
  });

  it("records which resource manages an endpoint id per Harbor", () => {
    const l = new OwnershipLedger();
    l.manage(H, "7", "a");
    assert.equal(l.managedBy(H, "7"), "a");
    assert.equal(l.managedBy("https://other.example.com", "7"), undefined);
  });
});

// Unit tests of harbor-endpoint-name-pattern: the whole Harbor name matches the configured regular expression.
import * as assert from "node:assert/strict";
import { harborEndpointNamePattern } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { COMPLIANT_PROPS, expectCannotCheck, resourceArgs, violationsOf } from "../fixtures";

const config = { pattern: "[a-z0-9]+(-[a-z0-9]+)*" };

describe("policy harbor-endpoint-name-pattern", () => {
  it("is advisory by default and passes every name without a pattern", () => {
    assert.equal(harborEndpointNamePattern.enforcementLevel, "advisory");
    assert.deepEqual(violationsOf(harborEndpointNamePattern, { ...COMPLIANT_PROPS, name: "Any Name!" }), []);
  });

  it("passes a name that matches the pattern as a whole", () => {
    assert.deepEqual(violationsOf(harborEndpointNamePattern, { ...COMPLIANT_PROPS }, { config }), []);
  });

  it("reports a name that matches only in part, naming the endpoint, the field and the pattern", () => {
    const [message] = violationsOf(harborEndpointNamePattern, { ...COMPLIANT_PROPS, name: "Registry_Example" }, { name: "reg", config });
    assert.match(message!, /registry endpoint "Registry_Example" \(resource "reg"\): name "Registry_Example" does not match the required pattern \/\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\*\//);
    assert.match(message!, /set the name input/);
    assert.equal(violationsOf(harborEndpointNamePattern, { ...COMPLIANT_PROPS, name: "ok-name-" }, { config }).length, 1);
  });

  it("rejects a pattern that is not a regular expression, naming the rule and the key", () => {
    const validate = harborEndpointNamePattern.validateResource as (a: unknown, r: () => void) => void;
    assert.throws(
      () => validate(resourceArgs({ ...COMPLIANT_PROPS }, { config: { pattern: "([a-z" } }), () => {}),
      (e: unknown) =>
        e instanceof Error &&
        e.message === "the policy pack's config for harbor-endpoint-name-pattern is invalid: pattern is not a valid JavaScript regular expression" &&
        e.stack === e.message, // @pulumi/policy prints the stack: one sentence, no frames
    );
  });

  it("cannot check an unknown name when a pattern is configured", () => {
    expectCannotCheck(harborEndpointNamePattern, { ...COMPLIANT_PROPS, name: UNKNOWN }, /name/, { config });
  });
});

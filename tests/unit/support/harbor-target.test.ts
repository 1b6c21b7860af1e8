// Unit: how the real-Harbor mode reads HARBOR_TEST_* and names things (tests/support/harbor-target).
import * as assert from "node:assert/strict";
import { RUN_PREFIX, externalHarbor } from "../../support/harbor-target";

describe("real-Harbor mode settings (HARBOR_TEST_*)", () => {
  it("is off without HARBOR_TEST_URL", () => {
    assert.equal(externalHarbor({}), undefined);
    assert.equal(externalHarbor({ HARBOR_TEST_URL: "", HARBOR_TEST_PASSWORD: "x" }), undefined);
  });

  it("reads URL (trailing slashes trimmed), username (default admin), password and remote host (default 127.0.0.1)", () => {
    assert.deepEqual(externalHarbor({ HARBOR_TEST_URL: "https://harbor.example.com//", HARBOR_TEST_PASSWORD: "pw" }), {
      url: "https://harbor.example.com", username: "admin", password: "pw", remoteHost: "127.0.0.1",
    });
    assert.deepEqual(
      externalHarbor({ HARBOR_TEST_URL: "https://h", HARBOR_TEST_USERNAME: "robot$ci", HARBOR_TEST_PASSWORD: "pw", HARBOR_TEST_REMOTE_HOST: "10.0.0.5" }),
      { url: "https://h", username: "robot$ci", password: "pw", remoteHost: "10.0.0.5" },
    );
  });

  it("refuses a URL without a password, naming the variable and not echoing anything secret", () => {
    assert.throws(() => externalHarbor({ HARBOR_TEST_URL: "https://h" }), /HARBOR_TEST_PASSWORD is not/);
  });

  it("prefixes names with a lower-case run prefix that Harbor accepts in project names", () => {
    assert.match(RUN_PREFIX, /^[a-z0-9]+-$/);
    assert.match(`${RUN_PREFIX}cache`, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/);
  });
});

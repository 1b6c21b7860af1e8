// Unit: the advice for Harbor's 500 and "unhealthy" answers to registry writes follows semantics.md §6 per type.
import * as assert from "node:assert/strict";
import { adapterSetupHint, registryWriteHint } from "../../../provider/harbor/adapter-hints";
import { harborApiErrorHint } from "../../../provider/errors";

describe("unit: adapter hints for registry writes", () => {
  it("a 500 names what the type's adapter factory does, and never blames an unknown type", () => {
    const cases: [string | undefined, RegExp][] = [
      ["docker-hub", /log in at https:\/\/hub\.docker\.com/],
      ["harbor", /read \/api\/version of endpointUrl/],
      ["gitlab", /token challenge/],
      ["aws-ecr", /https:\/\/api\.ecr\.<region>\.amazonaws\.com/],
      ["quay", /must be the JSON/],
      ["tencent-tcr", /AKID or IKID/],
      ["helm-hub", /Harbor v2\.8\.0 and later have no helm-hub adapter/],
      ["docker-registry", /contacts nothing while it is set up, so this 500 is Harbor's own failure/],
      [undefined, /for docker-hub, harbor, gitlab/],
    ];
    for (const [type, re] of cases) {
      assert.match(registryWriteHint(type)(500, "UNKNOWN", ["internal server error"])!, re, String(type));
      assert.doesNotMatch(adapterSetupHint(type), /unknown registry type/);
    }
    assert.doesNotMatch(harborApiErrorHint(500, "UNKNOWN", []), /unknown registry type/);
  });

  it("a 400 unhealthy of a fixed-host type names its hosts; other answers keep the default advice", () => {
    assert.match(registryWriteHint("docker-hub")(400, "BAD_REQUEST", ["the registry is unhealthy"])!, /registry-1\.docker\.io and auth\.docker\.io/);
    assert.match(registryWriteHint("github-ghcr")(400, "BAD_REQUEST", ["the registry is unhealthy"])!, /always contacts ghcr\.io, whatever endpointUrl says/);
    assert.equal(registryWriteHint("docker-registry")(400, "BAD_REQUEST", ["the registry is unhealthy"]), undefined);
    assert.equal(registryWriteHint("docker-hub")(400, "BAD_REQUEST", ["invalid url"]), undefined);
    assert.equal(registryWriteHint("docker-hub")(409, "CONFLICT", ["name exists"]), undefined);
  });
});

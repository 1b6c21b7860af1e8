// Unit tests of harbor-endpoint-docker-hub-credentials: docker-hub endpoints must carry accessId and accessSecret.
import * as assert from "node:assert/strict";
import { harborEndpointDockerHubCredentials } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { CANARY, expectCannotCheck, violationsOf } from "../fixtures";

const hub = { providerName: "docker-hub", name: "hub", endpointUrl: "https://hub.docker.com", insecure: false, adopt: false };

describe("policy harbor-endpoint-docker-hub-credentials", () => {
  it("is advisory by default and has no configuration", () => {
    assert.equal(harborEndpointDockerHubCredentials.enforcementLevel, "advisory");
    assert.equal(harborEndpointDockerHubCredentials.configSchema, undefined);
  });

  it("passes a docker-hub endpoint with credentials, and any other type without", () => {
    assert.deepEqual(violationsOf(harborEndpointDockerHubCredentials, { ...hub, accessId: "me", accessSecret: CANARY }), []);
    assert.deepEqual(violationsOf(harborEndpointDockerHubCredentials, { ...hub, providerName: "docker-registry", endpointUrl: "https://r.example.com" }), []);
  });

  it("reports anonymous docker-hub endpoints, naming the missing fields and what to set", () => {
    const [message] = violationsOf(harborEndpointDockerHubCredentials, { ...hub }, { name: "dockerhub" });
    assert.match(message!, /registry endpoint "hub" \(resource "dockerhub"\): a docker-hub endpoint without accessId and accessSecret/);
    assert.match(message!, /rate limits/);
    assert.match(message!, /set accessId to a Docker Hub user and accessSecret/);
    const [onlySecret] = violationsOf(harborEndpointDockerHubCredentials, { ...hub, accessId: "me", accessSecret: "" });
    assert.match(onlySecret!, /without accessSecret pulls/);
  });

  it("cannot check unknown credentials or type, but reports a credential known to be missing", () => {
    expectCannotCheck(harborEndpointDockerHubCredentials, { ...hub, accessId: "me", accessSecret: UNKNOWN }, /accessSecret/);
    expectCannotCheck(harborEndpointDockerHubCredentials, { ...hub, providerName: UNKNOWN }, /providerName/);
    const [message] = violationsOf(harborEndpointDockerHubCredentials, { ...hub, accessSecret: UNKNOWN });
    assert.match(message!, /without accessId pulls/);
  });
});

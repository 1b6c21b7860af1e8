// Unit tests of the provider configuration: stack config, env fallbacks, /api/v2.0, and errors that never echo values.
import * as assert from "node:assert/strict";
import { harborApiBase, missingHarborSettings, readHarborConfig } from "../../../provider/config";
import { CANARY } from "./fixtures";

const cfg = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

describe("provider configuration", () => {
  it("reads harbor:* stack config and appends /api/v2.0", () => {
    const c = readHarborConfig(cfg({ "harbor:url": "https://harbor.example.com/", "harbor:username": "admin", "harbor:password": CANARY, "harbor:insecure": "true", "harbor:connectionTest": "always" }), {});
    assert.deepEqual(c, { url: "https://harbor.example.com/api/v2.0", username: "admin", password: CANARY, insecure: true, allowHttp: false, adoptExisting: false, connectionTest: "always", connectionDiagnosis: "local", refreshListing: true });
  });
  it("accepts a URL already ending in /api/v2.0", () => assert.equal(harborApiBase("https://h/api/v2.0/"), "https://h/api/v2.0"));
  it("falls back to HARBOR_* environment variables", () => {
    const c = readHarborConfig(cfg({}), { HARBOR_URL: "http://127.0.0.1:1", HARBOR_USERNAME: "u", HARBOR_PASSWORD: "p", HARBOR_INSECURE: "false", HARBOR_CONNECTION_TEST: "never" });
    assert.deepEqual(c, { url: "http://127.0.0.1:1/api/v2.0", username: "u", password: "p", insecure: false, allowHttp: false, adoptExisting: false, connectionTest: "never", connectionDiagnosis: "local", refreshListing: true });
  });
  it("prefers stack config over the environment", () => {
    assert.equal(readHarborConfig(cfg({ "harbor:username": "fromConfig" }), { HARBOR_USERNAME: "fromEnv" }).username, "fromConfig");
  });
  it("defaults insecure to false and connectionTest to onChange", () => {
    const c = readHarborConfig(cfg({}), {});
    assert.equal(c.insecure, false);
    assert.equal(c.connectionTest, "onChange");
  });
  it("defaults connectionDiagnosis to local", () => assert.equal(readHarborConfig(cfg({}), {}).connectionDiagnosis, "local"));
  it("reads harbor:connectionDiagnosis, falling back to HARBOR_CONNECTION_DIAGNOSIS, config first", () => {
    assert.equal(readHarborConfig(cfg({ "harbor:connectionDiagnosis": "harbor-only" }), {}).connectionDiagnosis, "harbor-only");
    assert.equal(readHarborConfig(cfg({}), { HARBOR_CONNECTION_DIAGNOSIS: "harbor-only" }).connectionDiagnosis, "harbor-only");
    assert.equal(readHarborConfig(cfg({ "harbor:connectionDiagnosis": "local" }), { HARBOR_CONNECTION_DIAGNOSIS: "harbor-only" }).connectionDiagnosis, "local");
  });
  it("rejects an unknown connectionDiagnosis naming the key and the allowed values", () => {
    assert.throws(() => readHarborConfig(cfg({ "harbor:connectionDiagnosis": "remote" }), {}), /harbor:connectionDiagnosis must be one of local, harbor-only/);
    assert.throws(() => readHarborConfig(cfg({}), { HARBOR_CONNECTION_DIAGNOSIS: "off" }), /HARBOR_CONNECTION_DIAGNOSIS must be one of local, harbor-only/);
  });
  it("reads harbor:refreshListing (default true), falling back to HARBOR_REFRESH_LISTING, and names the key when invalid", () => {
    assert.equal(readHarborConfig(cfg({ "harbor:refreshListing": "false" }), {}).refreshListing, false);
    assert.equal(readHarborConfig(cfg({}), { HARBOR_REFRESH_LISTING: "no" }).refreshListing, false);
    assert.equal(readHarborConfig(cfg({ "harbor:refreshListing": "true" }), { HARBOR_REFRESH_LISTING: "false" }).refreshListing, true);
    assert.throws(() => readHarborConfig(cfg({}), { HARBOR_REFRESH_LISTING: "sometimes" }), /HARBOR_REFRESH_LISTING must be true or false/);
  });
  it("rejects an invalid insecure value naming the key", () => assert.throws(() => readHarborConfig(cfg({ "harbor:insecure": "maybe" }), {}), /harbor:insecure/));
  it("rejects an invalid HARBOR_CONNECTION_TEST naming the variable", () => assert.throws(() => readHarborConfig(cfg({}), { HARBOR_CONNECTION_TEST: "x" }), /HARBOR_CONNECTION_TEST/));
  it("rejects a URL with credentials without echoing them", () => {
    assert.throws(() => readHarborConfig(cfg({ "harbor:url": `https://admin:${CANARY}@h` }), {}), (e: Error) => /harbor:url/.test(e.message) && !e.message.includes(CANARY));
  });
  it("names every missing connection setting", () => {
    assert.match(missingHarborSettings(readHarborConfig(cfg({}), {}))!, /harbor:url.*harbor:username.*harbor:password/);
    assert.equal(missingHarborSettings(readHarborConfig(cfg({ "harbor:url": "https://h", "harbor:username": "u", "harbor:password": "p" }), {})), undefined);
  });
});

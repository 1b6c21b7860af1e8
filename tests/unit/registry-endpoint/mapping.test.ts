// Unit tests of the camelCase ↔ Harbor wire mapping in both directions, including secret handling.
import * as assert from "node:assert/strict";
import type { HarborRegistry } from "../../../provider/harbor/models";
import {
  adoptionSecretLoss,
  fromHarborRegistry,
  toDesiredEndpoint,
  toHarborRegistryAdoptUpdate,
  toHarborRegistryCreate,
  toHarborRegistryUpdate,
} from "../../../provider/registry-endpoint/mapping";
import { CANARY, TEST_CA_PEM } from "./fixtures";

const desired = toDesiredEndpoint({
  providerName: "harbor",
  name: "h",
  description: "d",
  endpointUrl: "https://h.example.com",
  accessId: "robot$x",
  accessSecret: CANARY,
  insecure: true,
  caCertificate: TEST_CA_PEM,
  adopt: false,
});
const wire: HarborRegistry = {
  id: 12,
  name: "h",
  type: "harbor",
  url: "https://h.example.com",
  description: "d",
  insecure: true,
  ca_certificate: TEST_CA_PEM,
  credential: { type: "basic", access_key: "robot$x", access_secret: "*****" },
  status: "healthy",
  creation_time: "2026-01-01T00:00:00.000Z",
  update_time: "2026-01-02T00:00:00.000Z",
};

describe("mapping: RegistryEndpoint ↔ Harbor", () => {
  it("builds the nested POST body with the credential", () => {
    assert.deepEqual(toHarborRegistryCreate(desired), {
      name: "h",
      type: "harbor",
      url: "https://h.example.com",
      description: "d",
      insecure: true,
      ca_certificate: TEST_CA_PEM,
      credential: { type: "basic", access_key: "robot$x", access_secret: CANARY },
    });
  });
  it("omits credential, description and ca_certificate when not set", () => {
    assert.deepEqual(toHarborRegistryCreate(toDesiredEndpoint({ providerName: "huawei-SWR", name: "n", endpointUrl: "https://swr" })), {
      name: "n",
      type: "huawei-SWR",
      url: "https://swr",
      insecure: false,
    });
  });
  it("maps Harbor's record to outputs, keeping the secret from state while Harbor holds one", () => {
    assert.deepEqual(fromHarborRegistry(wire, { accessSecret: CANARY, adopt: false, connection: "replica", lastWriteTime: wire.update_time }), {
      stateVersion: 1,
      providerName: "harbor",
      name: "h",
      description: "d",
      endpointUrl: "https://h.example.com",
      accessId: "robot$x",
      accessSecret: CANARY,
      insecure: true,
      caCertificate: TEST_CA_PEM,
      adopt: false,
      connection: "replica",
      registryId: 12,
      status: "healthy",
      creationTime: wire.creation_time,
      updateTime: wire.update_time,
      lastWriteTime: wire.update_time,
    });
  });
  it("never takes Harbor's ***** placeholder as the secret", () => {
    const out = fromHarborRegistry(wire, { adopt: false, connection: "default" });
    assert.equal(out.accessSecret, undefined);
    assert.ok(!JSON.stringify(out).includes("*****"));
  });
  it("drops the secret from outputs when Harbor holds none (so the next diff re-sends it)", () => {
    const out = fromHarborRegistry({ ...wire, credential: {} }, { accessSecret: CANARY, adopt: false, connection: "default" });
    assert.equal("accessSecret" in out, false);
    assert.equal("accessId" in out, false);
  });
  it("maps omitted optional wire fields to absent outputs and insecure to false", () => {
    const { description: _d, insecure: _i, ca_certificate: _c, status: _s, ...bare } = wire;
    const out = fromHarborRegistry(bare, { adopt: true, connection: "default" });
    assert.equal(out.insecure, false);
    for (const k of ["description", "caCertificate", "status"]) assert.equal(k in out, false);
  });
  it("PUTs only the changed fields", () => {
    assert.deepEqual(toHarborRegistryUpdate(desired, ["description"]), { description: "d" });
  });
  it("PUTs \"\" to clear a removed description or CA", () => {
    const d = toDesiredEndpoint({ providerName: "harbor", name: "h", endpointUrl: "https://h" });
    assert.deepEqual(toHarborRegistryUpdate(d, ["description", "caCertificate"]), { description: "", ca_certificate: "" });
  });
  it("re-sends the secret whenever the URL changes", () => {
    assert.deepEqual(toHarborRegistryUpdate(desired, ["endpointUrl"]), { url: "https://h.example.com", access_secret: CANARY });
  });
  it("sends a changed secret flat as access_secret", () => {
    assert.deepEqual(toHarborRegistryUpdate(desired, ["accessSecret"]), { access_secret: CANARY });
  });
  it("never sends the ***** placeholder", () => {
    const d = { ...desired, accessSecret: "*****" };
    assert.deepEqual(toHarborRegistryUpdate(d, ["accessSecret", "endpointUrl"]), { url: "https://h.example.com" });
  });
  it("wipes the credential when accessId is removed", () => {
    const d = toDesiredEndpoint({ providerName: "harbor", name: "h", endpointUrl: "https://h" });
    assert.deepEqual(toHarborRegistryUpdate(d, ["accessId", "accessSecret"]), { access_key: "", access_secret: "" });
  });
  describe("adopt PUT body", () => {
    const noSecret = { ...desired, accessSecret: undefined };
    it("sends only the desired secret when Harbor already holds every other desired value", () => {
      assert.deepEqual(toHarborRegistryAdoptUpdate(desired, wire), { access_secret: CANARY });
    });
    it("is empty without accessSecret when Harbor holds the desired state, so no PUT is sent", () => {
      assert.deepEqual(toHarborRegistryAdoptUpdate(noSecret, wire), {});
    });
    it("never carries access_secret without accessSecret, so Harbor keeps the secret it holds", () => {
      const body = toHarborRegistryAdoptUpdate({ ...noSecret, description: "new", endpointUrl: "https://other.example.com", accessId: "robot$y" }, wire);
      assert.deepEqual(body, { description: "new", url: "https://other.example.com", access_key: "robot$y", credential_type: "basic" });
      assert.equal("access_secret" in body, false);
    });
    it('clears what the declaration leaves out with "" (description, CA, insecure false, the credential without accessId)', () => {
      const bare = toDesiredEndpoint({ providerName: "harbor", name: "h", endpointUrl: "https://h.example.com" });
      assert.deepEqual(toHarborRegistryAdoptUpdate(bare, wire), { description: "", insecure: false, ca_certificate: "", access_key: "" });
    });
    it("sends no ca_certificate when neither side has one (Harbor < 2.15 has no such field)", () => {
      const { ca_certificate: _ca, ...noCa } = wire;
      assert.equal("ca_certificate" in toHarborRegistryAdoptUpdate({ ...desired, caCertificate: undefined }, noCa), false);
    });
    it("renames when the name differs (adopting after a 409 of a case-variant lookup is impossible, but the body stays exact)", () => {
      assert.deepEqual(toHarborRegistryAdoptUpdate({ ...noSecret, name: "h2" }, wire), { name: "h2" });
    });
    it("never sends the ***** placeholder as a secret", () => {
      assert.deepEqual(toHarborRegistryAdoptUpdate({ ...desired, accessSecret: "*****" }, wire), {});
    });
  });
  describe("adoptionSecretLoss", () => {
    const noSecret = { ...desired, accessSecret: undefined };
    it("reports a URL change without accessSecret while Harbor holds a secret", () => {
      assert.match(adoptionSecretLoss({ ...noSecret, endpointUrl: "https://new.example.com" }, wire) ?? "", /endpointUrl changes from https:\/\/h\.example\.com to https:\/\/new\.example\.com/);
    });
    it("is silent when the URL stays, a secret is given, the credential is removed or Harbor holds no secret", () => {
      assert.equal(adoptionSecretLoss(noSecret, wire), undefined);
      assert.equal(adoptionSecretLoss({ ...desired, endpointUrl: "https://new.example.com" }, wire), undefined);
      assert.equal(adoptionSecretLoss({ ...noSecret, accessId: undefined, endpointUrl: "https://new.example.com" }, wire), undefined);
      assert.equal(adoptionSecretLoss({ ...noSecret, endpointUrl: "https://new.example.com" }, { ...wire, credential: { type: "basic", access_key: "robot$x" } }), undefined);
    });
  });
});

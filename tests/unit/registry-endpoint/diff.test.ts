// Unit tests of the diff table: every row, normalised comparisons, unknowns, lenient old state and ignored fields.
import * as assert from "node:assert/strict";
import { DIFF_TABLE, diffRegistryEndpoint } from "../../../provider/registry-endpoint/diff";
import { UNKNOWN } from "../../../provider/registry-endpoint/schema";
import { TEST_CA_PEM } from "./fixtures";

const inputs = {
  providerName: "docker-registry",
  name: "reg",
  description: "d",
  endpointUrl: "https://registry.example.com",
  accessId: "u",
  accessSecret: "s",
  insecure: false,
  caCertificate: TEST_CA_PEM,
  adopt: false,
  connectionTest: "onChange",
  connection: "default",
};
const state = { ...inputs, registryId: 7, status: "healthy", creationTime: "t0", updateTime: "t1", stateVersion: 1, lastWriteTime: "t1", __provider: "x" };

const changedValues: Record<keyof typeof DIFF_TABLE, unknown> = {
  providerName: "harbor",
  name: "reg2",
  description: "other",
  endpointUrl: "https://other.example.com",
  accessId: "u2",
  accessSecret: "s2",
  insecure: true,
  caCertificate: undefined,
  adopt: true,
  connectionTest: "never",
  connection: "replica",
};

describe("diff: the RegistryEndpoint diff table", () => {
  it("reports no change when nothing changed", () => {
    assert.deepEqual(diffRegistryEndpoint(state, inputs), { changes: false, replaces: [], deleteBeforeReplace: false, changed: [] });
  });

  for (const [field, row] of Object.entries(DIFF_TABLE)) {
    // Names are unique per Harbor only: an endpoint moving to another Harbor is created there before the old one goes.
    const deleteFirst = row.replaces && field !== "connection";
    const verdict = row.replaces ? `replaces (${deleteFirst ? "delete before create" : "create before delete"})` : "updates in place";
    it(`${field}: a change ${verdict}`, () => {
      const news: Record<string, unknown> = { ...inputs, [field]: changedValues[field as keyof typeof DIFF_TABLE] };
      if (news[field] === undefined) delete news[field];
      const d = diffRegistryEndpoint(state, news);
      assert.equal(d.changes, true);
      assert.deepEqual(d.changed, [field]);
      assert.deepEqual(d.replaces, row.replaces ? [field] : []);
      assert.equal(d.deleteBeforeReplace, deleteFirst);
    });
    it(`${field}: an unknown new value counts as a change`, () => {
      const d = diffRegistryEndpoint(state, { ...inputs, [field]: UNKNOWN });
      assert.deepEqual(d.changed, [field]);
      assert.deepEqual(d.replaces, row.replaces ? [field] : []);
    });
  }

  it("only providerName and connection replace", () => {
    assert.deepEqual(Object.entries(DIFF_TABLE).filter(([, r]) => r.replaces).map(([f]) => f), ["providerName", "connection"]);
  });
  it("connection: state written before connections existed (no key) is on the default connection", () => {
    const { connection: _c, ...old } = state;
    assert.equal(diffRegistryEndpoint(old, inputs).changes, false);
    assert.deepEqual(diffRegistryEndpoint(old, { ...inputs, connection: "replica" }).replaces, ["connection"]);
  });
  it("connection: a move between two names of the same Harbor deletes first, like a providerName change", () => {
    const same = { sameHarbor: (a: string, b: string) => [a, b].sort().join() === "default,replica" };
    const d = diffRegistryEndpoint(state, { ...inputs, connection: "replica" }, same);
    assert.deepEqual(d.replaces, ["connection"]);
    assert.equal(d.deleteBeforeReplace, true);
    assert.equal(diffRegistryEndpoint(state, { ...inputs, connection: "other" }, same).deleteBeforeReplace, false);
  });
  it("connection: a move to another Harbor that also changes providerName still creates first", () => {
    const d = diffRegistryEndpoint(state, { ...inputs, connection: "replica", providerName: "harbor" });
    assert.deepEqual(d.replaces, ["providerName", "connection"]);
    assert.equal(d.deleteBeforeReplace, false);
  });
  it("only accessSecret is secret", () => {
    assert.deepEqual(Object.entries(DIFF_TABLE).filter(([, r]) => r.secret).map(([f]) => f), ["accessSecret"]);
  });

  it("ignores __provider and output-only fields", () => {
    const d = diffRegistryEndpoint({ ...state, __provider: "old", registryId: 1, status: "unhealthy", updateTime: "t9", stateVersion: 0 }, { ...inputs, __provider: "new" });
    assert.equal(d.changes, false);
  });
  it("compares providerName after alias mapping (old state written with an alias)", () => {
    assert.equal(diffRegistryEndpoint({ ...state, providerName: "aws", endpointUrl: "https://api.ecr.us-east-1.amazonaws.com" }, { ...inputs, providerName: "aws-ecr", endpointUrl: "https://api.ecr.us-east-1.amazonaws.com" }).changes, false);
  });
  it("compares endpointUrl after Harbor's normalisation", () => {
    assert.equal(diffRegistryEndpoint({ ...state, endpointUrl: "https://registry.example.com/" }, inputs).changes, false);
  });
  it("treats an empty description in state like an absent one", () => {
    const { description: _d, ...withoutDescription } = inputs;
    assert.equal(diffRegistryEndpoint({ ...state, description: "" }, withoutDescription).changes, false);
  });
  it("treats a missing insecure/adopt in old state as false", () => {
    const { insecure: _i, adopt: _a, ...old } = state;
    assert.equal(diffRegistryEndpoint(old, inputs).changes, false);
  });
  it("fills a fixed endpoint missing from old state", () => {
    const hub = { providerName: "docker-hub", name: "hub", endpointUrl: "https://hub.docker.com", insecure: false, adopt: false };
    assert.equal(diffRegistryEndpoint({ providerName: "docker-hub", name: "hub" }, hub).changes, false);
  });
  it("reads state without stateVersion (older releases) and with wrong-typed fields", () => {
    const { stateVersion: _s, ...old } = state;
    assert.equal(diffRegistryEndpoint({ ...old, registryId: "seven", status: 3 }, inputs).changes, false);
  });
  it("re-asserts the secret after a refresh suspected credential drift", () => {
    const d = diffRegistryEndpoint({ ...state, credentialsDriftSuspected: true }, inputs);
    assert.deepEqual(d.changed, ["accessSecret"]);
    assert.deepEqual(d.replaces, []);
  });
  it("does not flag drift for an endpoint without a secret", () => {
    const { accessSecret: _s, ...news } = inputs;
    const { accessSecret: _o, ...old } = state;
    assert.equal(diffRegistryEndpoint({ ...old, credentialsDriftSuspected: true }, news).changes, false);
  });
  it("sees a secret Harbor no longer holds (refresh dropped it from state) as a change", () => {
    const { accessSecret: _o, ...old } = state;
    assert.deepEqual(diffRegistryEndpoint(old, inputs).changed, ["accessSecret"]);
  });
});

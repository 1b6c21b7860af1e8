// Looking endpoints up by exact name (getRegistryEndpoint's implementation) against two simulators over real HTTP.
import * as assert from "node:assert/strict";
import { HarborClient } from "../../provider/harbor/client";
import { closestNames, lookupRegistryEndpoint } from "../../provider/lookup";
import type { HarborSimulator } from "../../simulator";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import { startTestSimulator } from "../support/sim";

const CENTRAL_PASSWORD = "LookupCentral-1d2e-pw";
const REPLICA_PASSWORD = "LookupReplica-8c7b-pw";
const ENDPOINT_SECRET = "LookupEndpoint-40af-s";

describe("sim: getRegistryEndpoint looks endpoints up by exact name", function () {
  this.timeout(60000);
  let central: HarborSimulator;
  let replica: HarborSimulator;
  let centralAdmin: HarborClient;
  let replicaAdmin: HarborClient;
  const ids: Record<string, number> = {};

  /** The program's stack config: central through harbor:url …, replica through harbor:connections.replica. */
  function environment(replicaPassword = REPLICA_PASSWORD) {
    const config: Record<string, string> = {
      "harbor:url": central.url,
      "harbor:username": central.username,
      "harbor:password": CENTRAL_PASSWORD,
      "harbor:connections": JSON.stringify({ replica: { url: replica.url, username: replica.username, password: replicaPassword } }),
    };
    return { config: { get: (k: string) => config[k] }, env: {}, clientOptions: { retry: { retries: 0 } } };
  }
  const lookup = (name: string, connection?: string, env = environment()) => lookupRegistryEndpoint({ name, connection }, {}, env);

  async function add(admin: HarborClient, name: string, extra: Record<string, unknown> = {}): Promise<number> {
    return admin.createRegistry({ name, type: "huawei-SWR", url: "https://swr.cn-north-1.myhuaweicloud.com", insecure: false, ...extra });
  }

  // Names Harbor's fuzzy `?name=` search and a naive `q` would confuse, plus more than a page of similar ones.
  const ODD = ["team a", "Team A", "team-a", "100%", "50%off", "a+b", "a,b", "~tilde", "{x y}", "\\back", "eu, west"];
  before(async function () {
    skipAgainstExternalHarbor(this, "two Harbor simulators");
    central = await startTestSimulator({ adminPassword: CENTRAL_PASSWORD });
    replica = await startTestSimulator({ adminPassword: REPLICA_PASSWORD });
    centralAdmin = new HarborClient({ url: central.url, username: central.username, password: CENTRAL_PASSWORD });
    replicaAdmin = new HarborClient({ url: replica.url, username: replica.username, password: REPLICA_PASSWORD });
    for (let i = 0; i < 120; i++) await add(centralAdmin, `team-a-${String(i).padStart(3, "0")}`);
    for (const name of ODD) ids[name] = await add(centralAdmin, name, { description: `central ${name}` });
    ids.credentialed = await add(centralAdmin, "credentialed", {
      description: "has a secret",
      credential: { type: "basic", access_key: "robot$pull", access_secret: ENDPOINT_SECRET },
    });
    ids["replica:team-a"] = await add(replicaAdmin, "team-a", { description: "replica team-a" });
  });
  after(async () => {
    await centralAdmin?.close();
    await replicaAdmin?.close();
    await central?.close();
    await replica?.close();
  });

  for (const name of ODD) {
    it(`finds exactly ${JSON.stringify(name)} among ${ODD.length + 120} similar names`, async () => {
      const found = await lookup(name);
      assert.equal(found.name, name);
      assert.equal(found.registryId, ids[name]);
      assert.equal(found.description, `central ${name}`);
    });
  }

  it("follows every page when Harbor's q cannot hold the name (a comma) and the fuzzy search returns more than a page", async () => {
    // Its longest comma-free run "team-a-" fuzzily matches all 120 "team-a-NNN": two pages of 100.
    await add(centralAdmin, "team-a-,last");
    central.resetRequests();
    const found = await lookup("team-a-,last");
    assert.equal(found.name, "team-a-,last");
    const pages = central.requests.filter((r) => r.method === "GET" && r.path === "/api/v2.0/registries").map((r) => new URLSearchParams(r.query).get("page"));
    assert.deepEqual(pages, ["1", "2"]);
  });

  it("returns every field Harbor stores, never a secret, and only reads", async () => {
    central.resetRequests();
    const found = await lookup("credentialed");
    assert.deepEqual(Object.keys(found).sort(), ["accessId", "creationTime", "description", "endpointUrl", "insecure", "name", "providerName", "registryId", "status", "updateTime"]);
    assert.deepEqual([found.providerName, found.endpointUrl, found.accessId, found.insecure, found.status], ["huawei-SWR", "https://swr.cn-north-1.myhuaweicloud.com", "robot$pull", false, "healthy"]);
    assert.ok(!JSON.stringify(found).includes(ENDPOINT_SECRET) && !JSON.stringify(found).includes("*****"));
    assert.deepEqual([...new Set(central.requests.map((r) => r.method))], ["GET"]);
  });

  it("is not fuzzy: a prefix of existing names is not found, and the error names the closest", async () => {
    await assert.rejects(lookup("team"), (e: Error) => {
      assert.match(e.message, /^getRegistryEndpoint: no registry endpoint is named "team" in Harbor \(http:\/\/127\.0\.0\.1:\d+\) \(names match exactly and case-sensitively\); the closest existing names are "team a", "team-a", "Team A", /);
      assert.equal((e as unknown as { closest: string[] }).closest.length, 5);
      return true;
    });
  });

  it("is not case-insensitive: TEAM-A is not team-a, which it suggests first", async () => {
    await assert.rejects(lookup("TEAM-A"), (e: Error & { closest?: string[] }) => {
      assert.equal(e.closest?.[0], "team-a");
      return true;
    });
  });

  it("searches the Harbor of the connection it names", async () => {
    const found = await lookup("team-a", "replica");
    assert.deepEqual([found.registryId, found.description], [ids["replica:team-a"], "replica team-a"]);
    await assert.rejects(lookup("team a", "replica"), /no registry endpoint is named "team a" in Harbor connection "replica" \(http:\/\/127\.0\.0\.1:\d+\).*the closest existing names are "team-a"\./);
  });

  it("says so when the Harbor has no endpoints at all", async () => {
    const empty = await startTestSimulator();
    try {
      const config: Record<string, string> = { "harbor:url": empty.url, "harbor:username": empty.username, "harbor:password": empty.password };
      await assert.rejects(lookupRegistryEndpoint({ name: "anything" }, {}, { config: { get: (k) => config[k] }, env: {} }), /"anything" in Harbor \(.*\).*; it has no registry endpoints at all\./);
    } finally {
      await empty.close();
    }
  });

  it("fails for a connection that is not configured, listing the configured ones", async () => {
    await assert.rejects(lookup("team-a", "ue"), /the Harbor connection "ue" is not configured \(configured connections: "default" and "replica"\)/);
  });

  it("fails naming the connection and its settings when its password is wrong, without the password", async () => {
    await assert.rejects(lookup("team-a", "replica", environment("WrongLookupPassword")), (e: Error) => {
      assert.match(e.message, /^getRegistryEndpoint\("team-a"\): Harbor connection "replica": GET .* 401 .*harbor:connections\.replica\.password/);
      assert.ok(!e.message.includes("WrongLookupPassword"));
      return true;
    });
  });

  it("rejects a bad name or connection argument before any request", async () => {
    await assert.rejects(lookupRegistryEndpoint({ name: "" }, {}, environment()), /name must be a non-empty string/);
    await assert.rejects(lookupRegistryEndpoint({ name: "x", connection: "a b" }, {}, environment()), /connection must be a connection name/);
  });
});

describe("closestNames", () => {
  it("ranks case-insensitive edit distance first, then the exact distance, then the name", () => {
    assert.deepEqual(closestNames("hub", ["Hub", "hub-2", "hbu", "quay", "HUB"], 3), ["Hub", "HUB", "hbu"]);
    assert.deepEqual(closestNames("x", []), []);
  });
});

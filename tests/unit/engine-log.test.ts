// Unit tests of the engine log: finding the engine address, redaction, dedup, never failing, and the two call sites.
import * as assert from "node:assert/strict";
import {
  createEngineLogger,
  dynamicProviderEngineAddress,
  engineAddressFromArgs,
  engineLog,
  type EngineLogRecord,
  setEngineLog,
} from "../../provider/engine-log";
import type { HarborClient } from "../../provider/harbor/client";
import type { HarborRegistry } from "../../provider/harbor/models";
import { type CheckContext, checkRegistryEndpoint } from "../../provider/registry-endpoint/check";
import { readRegistryEndpoint } from "../../provider/registry-endpoint/lifecycle";
import { UNKNOWN } from "../../provider/registry-endpoint/schema";
import { CANARY } from "./registry-endpoint/fixtures";

const HOST_SCRIPT = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";

/** A logger that records what it would send, installed as the process logger for one test. */
function capture(): { records: EngineLogRecord[]; restore: () => void } {
  const records: EngineLogRecord[] = [];
  const restore = setEngineLog(createEngineLogger({ transport: async (r) => void records.push(r) }));
  return { records, restore };
}

describe("engine log: where the engine is", () => {
  it("takes the engine address the engine passes as the provider's only argument", () => {
    assert.equal(engineAddressFromArgs(["127.0.0.1:40123"]), "127.0.0.1:40123");
  });

  it("skips the logging and tracing flags the engine puts before the address", () => {
    assert.equal(engineAddressFromArgs(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:9999", "127.0.0.1:40123"]), "127.0.0.1:40123");
    assert.equal(engineAddressFromArgs(["--logflow", "localhost:5"]), "localhost:5");
    assert.equal(engineAddressFromArgs(["[::1]:40123"]), "[::1]:40123");
  });

  it("finds no address in arguments that are not host:port", () => {
    assert.equal(engineAddressFromArgs([]), undefined);
    assert.equal(engineAddressFromArgs(["dist/tests/unit/**/*.test.js"]), undefined);
    assert.equal(engineAddressFromArgs(["--tracing", "127.0.0.1:9999"]), undefined);
  });

  it("dials only from the dynamic-provider host, never from a test runner or a program", () => {
    assert.equal(dynamicProviderEngineAddress(["node", HOST_SCRIPT, "127.0.0.1:40123"], HOST_SCRIPT), "127.0.0.1:40123");
    assert.equal(
      dynamicProviderEngineAddress(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:1"], undefined),
      "127.0.0.1:1",
    );
    assert.equal(dynamicProviderEngineAddress(["node", "/p/node_modules/.bin/mocha", "127.0.0.1:40123"], "/p/node_modules/mocha/bin/mocha.js"), undefined);
    assert.equal(dynamicProviderEngineAddress(["node", "/p/index.js", "127.0.0.1:40123"], "/p/index.js"), undefined);
  });

  it("is a no-op in this test process, so unit tests calling provider methods never open a connection", async () => {
    assert.equal(engineLog().connected, false);
    await engineLog().warn("nothing listens");
  });
});

describe("engine log: sending", () => {
  it("sends info and warnings with their severity and the resource URN when one is given", async () => {
    const records: EngineLogRecord[] = [];
    const log = createEngineLogger({ transport: async (r) => void records.push(r) });
    await log.info("one");
    await log.warn("two", { urn: "urn:pulumi:s::p::t::n" });
    assert.deepEqual(records, [
      { severity: "info", message: "one", urn: "" },
      { severity: "warning", message: "two", urn: "urn:pulumi:s::p::t::n" },
    ]);
    assert.equal(log.connected, true);
  });

  it("redacts the secrets it is given, URL user-info and Authorization values before anything leaves", async () => {
    const records: EngineLogRecord[] = [];
    const log = createEngineLogger({ transport: async (r) => void records.push(r) });
    await log.warn(`secret ${CANARY} at https://bob:${CANARY}x@host/v2/ with Authorization: Basic Ym9iOnB3`, { secrets: [CANARY, undefined, ""] });
    assert.equal(records.length, 1);
    assert.ok(!records[0]!.message.includes(CANARY), records[0]!.message);
    assert.ok(!records[0]!.message.includes("Ym9iOnB3"), records[0]!.message);
    assert.match(records[0]!.message, /\[REDACTED\]/);
  });

  it("says the same thing once per process", async () => {
    const records: EngineLogRecord[] = [];
    const log = createEngineLogger({ transport: async (r) => void records.push(r) });
    await log.warn("same");
    await log.warn("same");
    await log.info("same");
    assert.equal(records.length, 2);
  });

  it("never fails the caller when the engine refuses the message", async () => {
    const log = createEngineLogger({
      transport: async () => {
        throw new Error("14 UNAVAILABLE: connection refused");
      },
    });
    await log.warn("lost");
  });

  it("gives up on an engine that does not answer instead of stalling the operation", async () => {
    const log = createEngineLogger({ transport: () => new Promise<void>(() => undefined), timeoutMs: 30 });
    const started = Date.now();
    await log.warn("stuck");
    assert.ok(Date.now() - started < 1000);
  });

  it("drops messages when there is no engine", async () => {
    const log = createEngineLogger();
    assert.equal(log.connected, false);
    await log.warn("dropped");
  });
});

describe("engine log: check() tells why the connection test was skipped", () => {
  const base = { providerName: "docker-registry", name: "reg", endpointUrl: "https://registry.example.com", accessId: "bob" };
  let cap: ReturnType<typeof capture>;
  beforeEach(() => (cap = capture()));
  afterEach(() => cap.restore());

  function ctx(): CheckContext & { pings: number } {
    const c = { defaultConnectionTest: "onChange" as const, pings: 0, testConnection: async () => (c.pings++, []) };
    return c;
  }

  it("names the endpoint and the unknown field, without a network call", async () => {
    const c = ctx();
    const r = await checkRegistryEndpoint({}, { ...base, accessSecret: UNKNOWN }, c);
    assert.equal(r.connectionTest.reason, "unknown-values");
    assert.equal(c.pings, 0);
    assert.equal(cap.records.length, 1);
    assert.equal(cap.records[0]!.severity, "info");
    assert.match(cap.records[0]!.message, /^RegistryEndpoint "reg": connection test skipped: accessSecret is not known during preview/);
    assert.match(cap.records[0]!.message, /`pulumi up` checks the endpoint again once it is known\.$/);
  });

  it("lists every unknown connection field", async () => {
    await checkRegistryEndpoint({}, { ...base, endpointUrl: UNKNOWN, accessSecret: UNKNOWN, insecure: UNKNOWN }, ctx());
    assert.match(cap.records[0]!.message, /endpointUrl, accessSecret and insecure are not known during preview \(they come from/);
  });

  it("says so when the name itself is unknown", async () => {
    await checkRegistryEndpoint({}, { ...base, name: UNKNOWN, accessSecret: UNKNOWN }, ctx());
    assert.match(cap.records[0]!.message, /^a RegistryEndpoint whose name is not known yet: connection test skipped/);
  });

  it("stays silent for connectionTest \"never\", even with unknown values", async () => {
    await checkRegistryEndpoint({}, { ...base, accessSecret: UNKNOWN, connectionTest: "never" }, ctx());
    assert.deepEqual(cap.records, []);
  });

  it("stays silent when every input is known (the test runs)", async () => {
    const c = ctx();
    await checkRegistryEndpoint({}, { ...base, accessSecret: CANARY }, c);
    assert.equal(c.pings, 1);
    assert.deepEqual(cap.records, []);
  });

  it("skips without a network call when only a non-connection field is unknown, naming it (issue 3: no network call for any unknown)", async () => {
    const c = ctx();
    await checkRegistryEndpoint({}, { ...base, accessSecret: CANARY, description: UNKNOWN }, c);
    assert.equal(c.pings, 0);
    assert.equal(cap.records.length, 1);
    assert.match(cap.records[0]!.message, /connection test skipped: description is not known during preview/);
  });

  it("never carries a known secret into the message", async () => {
    await checkRegistryEndpoint({}, { ...base, name: `n-${CANARY}`, accessSecret: CANARY, endpointUrl: UNKNOWN }, ctx());
    assert.equal(cap.records.length, 1);
    assert.ok(!cap.records[0]!.message.includes(CANARY), cap.records[0]!.message);
  });
});

describe("engine log: refresh warns of credentials changed outside Pulumi", () => {
  let cap: ReturnType<typeof capture>;
  beforeEach(() => (cap = capture()));
  afterEach(() => cap.restore());

  const LAST_WRITE = "2026-01-01T10:00:00.000Z";
  function harbor(updateTime: string): HarborClient {
    const reg: HarborRegistry = {
      id: 7,
      name: "reg",
      type: "docker-registry",
      url: "https://registry.example.com",
      credential: { type: "basic", access_key: "bob", access_secret: "*****" },
      insecure: false,
      status: "healthy",
      creation_time: "2026-01-01T09:00:00.000Z",
      update_time: updateTime,
    } as HarborRegistry;
    return { getRegistry: async () => reg } as unknown as HarborClient;
  }
  const state = { name: "reg", providerName: "docker-registry", accessId: "bob", accessSecret: CANARY, registryId: 7, lastWriteTime: LAST_WRITE };

  it("warns, naming the endpoint, both times and what the next up does", async () => {
    const r = await readRegistryEndpoint(harbor("2026-01-01T11:00:00.000Z"), "7", state);
    assert.equal(r.props?.credentialsDriftSuspected, true);
    assert.equal(cap.records.length, 1);
    const { severity, message } = cap.records[0]!;
    assert.equal(severity, "warning");
    assert.equal(
      message,
      'RegistryEndpoint "reg" (Harbor id 7) was modified in Harbor at 2026-01-01T11:00:00.000Z, after Pulumi\'s last write at 2026-01-01T10:00:00.000Z: its credentials may have been changed outside Pulumi; the next `pulumi up` will re-send accessSecret to re-assert them.',
    );
    assert.ok(!message.includes(CANARY));
  });

  it("keeps warning on later refreshes until an up re-asserts the credentials", async () => {
    await readRegistryEndpoint(harbor(LAST_WRITE), "7", { ...state, credentialsDriftSuspected: true });
    assert.equal(cap.records.length, 1);
    assert.equal(cap.records[0]!.severity, "warning");
  });

  it("tells the user to look in Harbor when Pulumi holds no secret to re-send", async () => {
    await readRegistryEndpoint(harbor("2026-01-01T11:00:00.000Z"), "7", { ...state, accessSecret: undefined });
    assert.match(cap.records[0]!.message, /no accessSecret is set in Pulumi, so check the endpoint's credentials in Harbor\.$/);
  });

  it("stays silent when Harbor's record did not move past our last write", async () => {
    const r = await readRegistryEndpoint(harbor(LAST_WRITE), "7", state);
    assert.equal(r.props?.credentialsDriftSuspected, undefined);
    assert.deepEqual(cap.records, []);
  });
});

describe("refresh names the fields edited outside Pulumi (issue 8 item 7)", () => {
  // Imported here so the suite above keeps its own imports unchanged.
  const { editedFields, editedFieldsMessage } = require("../../provider/registry-endpoint/lifecycle") as typeof import("../../provider/registry-endpoint/lifecycle");
  it("finds exactly the visible fields that differ; empty text and absent are equal, the secret is never compared", () => {
    const state = { name: "m", description: "one", endpointUrl: "https://r", accessId: "u", insecure: false, accessSecret: "s" };
    assert.deepEqual(editedFields(state, { ...state, accessSecret: undefined }), []);
    assert.deepEqual(editedFields({ ...state, description: "" }, { ...state, description: undefined }), []);
    assert.deepEqual(editedFields(state, { ...state, description: "edited", insecure: true }), ["description", "insecure"]);
  });
  it("says which fields and what the next up does", () => {
    assert.equal(
      editedFieldsMessage("m", 3, ["description"], true),
      'RegistryEndpoint "m" (Harbor id 3) was edited in Harbor outside Pulumi: description differs from what Pulumi last wrote; the next `pulumi up` sets it back to the program\'s values (and re-sends accessSecret, which Harbor never shows).',
    );
  });
});

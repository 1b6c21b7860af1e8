// Simulator: every JSON body any simulator returns during the whole test run must match its swagger.yaml definition.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { installSwaggerConformance, startTestSimulator, swaggerConformance } from "../../support/sim";
import { assertMatchesDefinition, definitionErrors, responseErrors, swaggerPath } from "../../support/swagger";
import { call, createRegistry, swr } from "./helpers";

// Installed at load time, before any test of any file runs, so simulators started anywhere in the suite are observed.
installSwaggerConformance();

// A root-level hook: runs once after every suite of the run and fails it if any simulator body broke the spec.
after("every simulator body of the run matched swagger.yaml", () => {
  assert.deepEqual(swaggerConformance.violations, [], `${swaggerConformance.violations.length} simulator bodies violate swagger.yaml`);
});

describe("swagger conformance of simulator bodies", () => {
  it("reads swagger.yaml at test time from ../shared/harbor", () => {
    assert.ok(fs.existsSync(swaggerPath()), swaggerPath());
    assert.equal(path.basename(swaggerPath()), "swagger.yaml");
  });

  it("detects a body that breaks its definition (the check can fail)", () => {
    assert.throws(() => assertMatchesDefinition({ id: "7", name: 5 }, "Registry"), /does not match Registry/);
    assert.ok(definitionErrors({ id: 1, bogus: true }, "Registry").length > 0, "undeclared properties fail in strict mode");
    assert.deepEqual(definitionErrors({ id: 1, bogus: true }, "Registry", { strict: false }), []);
    assert.deepEqual(definitionErrors({ errors: [{ code: "X", message: "y" }] }, "Errors"), []);
    const bad = responseErrors({ method: "GET", path: "/x", route: "listRegistries", status: 200, body: [{ id: "1" }] });
    assert.equal(bad.checked, true);
    assert.equal(bad.errors.length, 1);
  });

  it("validates a response of every operation the simulator serves", async () => {
    const before = swaggerConformance.checked;
    const sim = await startTestSimulator();
    try {
      const id = await createRegistry(sim, swr("a", { description: "x", insecure: true, credential: { access_key: "k", access_secret: "s" } }));
      await createRegistry(sim, swr("b", { ca_certificate: "" }));
      await call(sim, "GET", "/registries?page_size=1&page=2");
      await call(sim, "GET", `/registries/${id}`);
      await call(sim, "GET", "/registries/0");
      await call(sim, "GET", `/registries/${id}/info`);
      await call(sim, "GET", "/registries/0/info");
      await call(sim, "PUT", `/registries/${id}`, { body: { description: "y" } });
      await call(sim, "POST", "/registries/ping", { body: { id } });
      await call(sim, "GET", "/replication/adapters");
      await call(sim, "GET", "/replication/adapterinfos");
      await call(sim, "GET", "/systeminfo");
      await call(sim, "GET", "/systeminfo", { auth: null });
      await call(sim, "GET", "/ping");
      const pol = await call(sim, "POST", "/replication/policies", { body: { name: "p", src_registry: { id: 0 }, dest_registry: { id } } });
      const polId = pol.headers.get("location")!.split("/").pop();
      await call(sim, "GET", "/replication/policies");
      await call(sim, "GET", `/replication/policies/${polId}`);
      await call(sim, "GET", "/projects");
      await call(sim, "GET", "/projects/1");
      await call(sim, "DELETE", `/registries/${id}`);
      await call(sim, "GET", "/registries/99");
      await call(sim, "GET", "/registries/abc");
      await call(sim, "GET", "/nowhere");
      await call(sim, "PATCH", "/registries");
      await call(sim, "GET", "/registries", { auth: null });
    } finally {
      await sim.close();
    }
    assert.ok(swaggerConformance.checked - before >= 25, `only ${swaggerConformance.checked - before} bodies were checked`);
    assert.deepEqual(swaggerConformance.violations, []);
  });

  it("serves /replication/adapterinfos exactly as the shared adapterinfos.default.json fixture", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.resolve(path.dirname(swaggerPath()), "adapterinfos.default.json"), "utf8")) as unknown;
    const types = JSON.parse(fs.readFileSync(path.resolve(path.dirname(swaggerPath()), "adapters.types.json"), "utf8")) as {
      default_adapters_response: string[];
    };
    const sim = await startTestSimulator();
    try {
      const infos = await call(sim, "GET", "/replication/adapterinfos");
      assert.deepEqual(infos.json, fixture);
      assert.equal(JSON.stringify(infos.json), JSON.stringify(fixture), "same key order");
      assert.deepEqual((await call(sim, "GET", "/replication/adapters")).json, types.default_adapters_response);
    } finally {
      await sim.close();
    }
  });

  it("matches the unfiltered fixture when every registered type is whitelisted", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.resolve(path.dirname(swaggerPath()), "adapterinfos.unfiltered.json"), "utf8")) as unknown;
    const sim = await startTestSimulator({
      adapterWhitelist: ["ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry", "dtr", "github-ghcr", "gitlab", "google-gcr",
        "harbor", "huawei-SWR", "jfrog-artifactory", "quay", "tencent-tcr", "volcengine-cr"],
    });
    try {
      assert.deepEqual((await call(sim, "GET", "/replication/adapterinfos")).json, fixture);
    } finally {
      await sim.close();
    }
  });
});

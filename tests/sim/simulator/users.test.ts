// GET /users/current/permissions as Harbor's usersAPI answers it (handler/user.go, rbac/system/policies.go).
import * as assert from "node:assert/strict";
import { startHarborSimulator, type HarborSimulator } from "../../../simulator";
import { call } from "./helpers";

describe("simulator: GET /users/current/permissions", () => {
  let sim: HarborSimulator;
  before(async () => {
    sim = await startHarborSimulator({
      users: [
        { username: "robot$all", password: "Robot12345", permissions: ["registry:create", "registry:read", "registry:update", "registry:delete", "registry:list"] },
        { username: "alice", password: "Alice12345" },
      ],
    });
  });
  after(() => sim.close());

  it("401 UNAUTHORIZED for anonymous callers and after a wrong password", async () => {
    for (const auth of [null, ["admin", "wrong"] as [string, string]]) {
      const r = await call(sim, "GET", "/users/current/permissions?scope=/system", { auth });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { errors: [{ code: "UNAUTHORIZED", message: "unauthorized" }] });
    }
  });

  it("a system administrator gets every system policy, resources bare (registry, not /system/registry)", async () => {
    const r = await call(sim, "GET", "/users/current/permissions?scope=/system");
    assert.equal(r.status, 200);
    const list = r.json as { resource: string; action: string }[];
    for (const action of ["create", "read", "update", "delete", "list"]) assert.ok(list.some((p) => p.resource === "registry" && p.action === action), action);
    assert.ok(list.every((p) => !p.resource.startsWith("/")));
  });

  it("robot accounts and other users get [] whatever their system permissions", async () => {
    for (const auth of [["robot$all", "Robot12345"], ["alice", "Alice12345"]] as [string, string][]) {
      const r = await call(sim, "GET", "/users/current/permissions?scope=/system", { auth });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, [], auth[0]);
    }
  });

  it("relative=true drops every system entry (a bare resource is not under /system); no scope lists nothing", async () => {
    assert.deepEqual((await call(sim, "GET", "/users/current/permissions?scope=/system&relative=true")).json, []);
    assert.deepEqual((await call(sim, "GET", "/users/current/permissions")).json, []);
  });

  it("a relative that is not a boolean is go-swagger's 422, before authentication", async () => {
    const r = await call(sim, "GET", "/users/current/permissions?scope=/system&relative=maybe", { auth: null });
    assert.equal(r.status, 422);
    assert.match(JSON.stringify(r.json), /relative in query must be of type boolean: \\"maybe\\"/);
  });
});

// Simulator: /v2/ answers with v2auth's challenges and /service/token issues JWT-shaped tokens, as Harbor does.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { basic, call, createRegistry, harborErr } from "./helpers";

type Json = Record<string, unknown>;

/** The decoded header and claims of a JWT. */
function decodeJwt(token: string): { header: Json; claims: Json; parts: string[] } {
  const parts = token.split(".");
  assert.equal(parts.length, 3, "a JWT has three parts");
  const decode = (s: string) => JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Json;
  return { header: decode(parts[0]!), claims: decode(parts[1]!), parts };
}

describe("simulator registry auth: /v2/ and /service/token", () => {
  let sim: HarborSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ adminPassword: "pw-v2", users: [{ username: "dev", password: "dev-pw" }] });
  });
  afterEach(async () => {
    await sim.close();
  });

  const v2 = (headers: Record<string, string> = {}) => call(sim, "GET", "//v2/", { auth: null, headers });
  const token = (query: string, auth: [string, string] | null = ["admin", "pw-v2"]) => call(sim, "GET", `//service/token?${query}`, { auth });

  it("sends the Bearer challenge with realm and service to a request without Authorization, as a docker client's first request gets", async () => {
    const r = await v2();
    assert.equal(r.status, 401);
    assert.equal(r.headers.get("www-authenticate"), `Bearer realm="${sim.url}/service/token",service="harbor-registry"`);
    assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
    assert.deepEqual(harborErr(r), { code: "UNAUTHORIZED", message: "unauthorized" });
  });

  it("sends the Basic challenge when a Basic header was sent with wrong credentials, or an unknown Bearer token", async () => {
    for (const authorization of [basic("admin", "wrong"), "Bearer not.a.token", "Negotiate abc"]) {
      const r = await v2({ authorization });
      assert.equal(r.status, 401, authorization);
      assert.equal(r.headers.get("www-authenticate"), 'Basic realm="harbor"');
    }
  });

  it("answers 200 {} to valid Basic credentials", async () => {
    const r = await v2({ authorization: basic("dev", "dev-pw") });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {});
    assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
  });

  it("issues an RS256 JWT for a Basic-authenticated login that /v2/ then accepts as Bearer", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await token("service=harbor-registry", ["dev", "dev-pw"]);
    assert.equal(r.status, 200, r.text);
    const body = r.json as { token: string; expires_in: number; issued_at: string };
    assert.deepEqual(Object.keys(body).sort(), ["expires_in", "issued_at", "token"]);
    assert.equal(body.expires_in, 1800);
    assert.match(body.issued_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const { header, claims } = decodeJwt(body.token);
    assert.equal(header.typ, "JWT");
    assert.equal(header.alg, "RS256");
    assert.match(header.kid as string, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    assert.equal(claims.iss, "harbor-token-issuer");
    assert.equal(claims.sub, "dev");
    assert.equal(claims.aud, "harbor-registry");
    assert.equal(claims.access, null);
    assert.ok((claims.iat as number) >= before && claims.exp === (claims.iat as number) + 1800 && claims.nbf === claims.iat);
    assert.equal(typeof claims.jti, "string");
    const ok = await v2({ authorization: `Bearer ${body.token}` });
    assert.equal(ok.status, 200);
  });

  it("rejects a token whose signature was tampered with", async () => {
    const { parts } = decodeJwt(((await token("service=harbor-registry")).json as { token: string }).token);
    const forged = Buffer.from(JSON.stringify({ iss: "harbor-token-issuer", sub: "admin", aud: "harbor-registry", exp: 9999999999 })).toString("base64url");
    assert.equal((await v2({ authorization: `Bearer ${parts[0]}.${forged}.${parts[2]}` })).status, 401);
  });

  it("grants repository actions by Harbor's permission model, replacing the requested ones", async () => {
    const scope = encodeURIComponent("repository:library/alpine:pull repository:private/app:pull,push repository:nowhere/x:pull registry:catalog:*");
    await call(sim, "POST", "/projects", { body: { project_name: "private" } });
    const admin = decodeJwt(((await token(`service=harbor-registry&scope=${scope}`)).json as { token: string }).token).claims;
    assert.deepEqual(admin.access, [
      { type: "repository", name: "library/alpine", actions: ["pull", "push", "delete", "scanner-pull", "*"] },
      { type: "repository", name: "private/app", actions: ["pull", "push", "delete", "scanner-pull", "*"] },
      { type: "repository", name: "nowhere/x", actions: [] },
      { type: "registry", name: "catalog", actions: ["*"] },
    ]);
    const anonymous = decodeJwt(((await token(`service=harbor-registry&scope=${scope}`, null)).json as { token: string }).token).claims;
    assert.equal(anonymous.sub, "");
    assert.deepEqual((anonymous.access as { actions: string[] }[]).map((a) => a.actions), [["pull"], [], [], []]);
    // An anonymous token has no subject: /v2/ still refuses it.
    const anonToken = ((await token(`service=harbor-registry&scope=${scope}`, null)).json as { token: string }).token;
    assert.equal((await v2({ authorization: `Bearer ${anonToken}` })).status, 401);
  });

  it("answers 401 without a body to an anonymous login, 400 to an unknown service, 500 to a scope Harbor cannot parse", async () => {
    const anon = await token("service=harbor-registry", null);
    assert.equal(anon.status, 401);
    assert.equal(anon.text, "");
    const wrongPassword = await token("service=harbor-registry", ["admin", "nope"]);
    assert.equal(wrongPassword.status, 401);
    const unknown = await token("service=harbor-notary");
    assert.equal(unknown.status, 400);
    assert.equal(unknown.text, "Unable to handle service: harbor-notary");
    assert.equal((await token(`service=harbor-registry&scope=${encodeURIComponent("repository:alpine:pull")}`)).status, 500);
  });

  it("lets Harbor's own health check of a docker-registry endpoint pointing at the simulator do the Bearer dance with credentials", async () => {
    const healthy = await createRegistry(sim, { name: "self", type: "docker-registry", url: sim.url, credential: { access_key: "dev", access_secret: "dev-pw" } });
    assert.equal(sim.storedRegistry(healthy)!.status, "healthy");
    const paths = sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.ok(paths.includes("GET /v2/ 401") && paths.includes("GET /service/token 200") && paths.includes("GET /v2/ 200"), paths.join(", "));
    const refused = await call(sim, "POST", "/registries", {
      body: { name: "self-wrong", type: "docker-registry", url: sim.url, credential: { access_key: "dev", access_secret: "wrong" } },
    });
    assert.deepEqual(harborErr(refused), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
  });
});

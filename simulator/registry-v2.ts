// The registry side of Harbor: `/v2/` behind the v2auth middleware and the token service `/service/token` that
// docker clients and other Harbors' health checks use (server/middleware/v2auth, core/service/token).
import { createHash, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import type { Caller } from "./auth";
import type { HandlerContext, SimState } from "./handler-context";
import { isPublic } from "./projects";
import type { SimResponse } from "./responses";

/** The audience (`service`) of registry tokens: core/service/token.Registry. */
export const TOKEN_SERVICE = "harbor-registry";
/** The issuer of Harbor's registry tokens. */
const TOKEN_ISSUER = "harbor-token-issuer";
/** Harbor's default token expiration: 30 minutes. */
const TOKEN_EXPIRATION_SECONDS = 30 * 60;

const DISTRIBUTION_HEADER = { "Docker-Distribution-API-Version": "registry/2.0" };

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** libtrust's key id: base32 of the first 240 bits of SHA-256 over the DER public key, in groups of four. */
  kid: string;
}

// One key per simulator, made on the first token request (RSA key generation costs tens of milliseconds).
const keys = new WeakMap<SimState, SigningKey>();

function base32(bytes: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function signingKey(sim: SimState): SigningKey {
  let key = keys.get(sim);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const der = publicKey.export({ type: "spki", format: "der" });
    const kid = base32(createHash("sha256").update(der).digest().subarray(0, 30)).match(/.{4}/g)!.join(":");
    key = { privateKey, publicKey, kid };
    keys.set(sim, key);
  }
  return key;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

/** One `access` entry of a registry token. */
interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

/** Claims of a token this simulator issued, or undefined when `authorization` is not such a Bearer token (or expired). */
function verifiedToken(sim: SimState, authorization: string | undefined): { sub: string } | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const key = keys.get(sim);
  if (!m || !key) return undefined;
  const parts = m[1]!.split(".");
  if (parts.length !== 3) return undefined;
  const ok = verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2]!, "base64url"));
  if (!ok) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== TOKEN_ISSUER || claims.aud !== TOKEN_SERVICE) return undefined;
    if (typeof claims.exp !== "number" || claims.exp <= now || (typeof claims.nbf === "number" && claims.nbf > now)) return undefined;
    return { sub: typeof claims.sub === "string" ? claims.sub : "" };
  } catch {
    return undefined;
  }
}

/**
 * GET /v2/: 200 for a valid Basic login or a Bearer token from `/service/token` with a subject; otherwise 401 with
 * v2auth's challenge: `Bearer realm="<external URL>/service/token",service="harbor-registry"` when the request carried
 * no Authorization header (a docker client's first request), `Basic realm="harbor"` when it carried one.
 */
export async function pingV2Base(ctx: HandlerContext): Promise<SimResponse> {
  const authorization = typeof ctx.headers.authorization === "string" ? ctx.headers.authorization : undefined;
  const token = verifiedToken(ctx.sim, authorization);
  if (ctx.caller || (token && token.sub !== "")) return { status: 200, headers: DISTRIBUTION_HEADER, json: {} };
  const challenge = authorization
    ? 'Basic realm="harbor"'
    : `Bearer realm="${ctx.sim.baseUrl}/service/token",service="${TOKEN_SERVICE}"`;
  return {
    status: 401,
    headers: { ...DISTRIBUTION_HEADER, "WWW-Authenticate": challenge },
    json: { errors: [{ code: "UNAUTHORIZED", message: "unauthorized" }] },
  };
}

/** Docker scope strings (`type:name:actions`) as core/service/token.GetResourceActions splits them. */
function resourceActions(scopes: string[]): ResourceActions[] {
  return scopes
    .filter((s) => s !== "")
    .map((s) => {
      const items = s.split(":");
      if (items.length === 1) return { type: items[0]!, name: "", actions: [] };
      if (items.length === 2) return { type: items[0]!, name: items[1]!, actions: [] };
      const last = items[items.length - 1]!;
      return { type: items[0]!, name: items.slice(1, -1).join(":"), actions: last === "" ? [] : last.split(",") };
    });
}

/**
 * The token service's access filter: the granted actions replace the requested ones. Returns undefined where Harbor's
 * filter fails (a repository name without a project, a `registry` resource other than `catalog`): a 500.
 */
function grantedAccess(ctx: HandlerContext, caller: Caller, access: ResourceActions[]): ResourceActions[] | undefined {
  for (const a of access) {
    if (a.type === "registry") {
      if (a.name !== "catalog") return undefined;
      if (!caller?.sysadmin) a.actions = [];
    } else if (a.type === "repository") {
      const slash = a.name.indexOf("/");
      if (slash < 0) return undefined;
      const project = ctx.sim.store.activeProjects().find((p) => p.name === a.name.slice(0, slash));
      if (!project) a.actions = [];
      // Project members are not modelled: the admin may do everything, everyone else may pull from public projects.
      else if (caller?.sysadmin) a.actions = ["pull", "push", "delete", "scanner-pull", "*"];
      else a.actions = isPublic(project) ? ["pull"] : [];
    } else {
      a.actions = [];
    }
  }
  return access;
}

/**
 * GET /service/token?service=harbor-registry[&scope=...]: a JWT-shaped RS256 token (`{token, expires_in, issued_at}`)
 * for a Basic-authenticated caller, or for an anonymous one that asks for scopes; an anonymous login gets 401.
 */
export async function getServiceToken(ctx: HandlerContext): Promise<SimResponse> {
  const service = ctx.query.get("service") ?? "";
  if (service !== TOKEN_SERVICE) {
    return { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" }, text: `Unable to handle service: ${service}` };
  }
  const scopes = ctx.query.getAll("scope").flatMap((s) => s.split(" "));
  // `docker login` without credentials; beego's CustomAbort writes no body.
  if (!ctx.caller && scopes.length === 0) return { status: 401, headers: {}, text: "" };
  const access = grantedAccess(ctx, ctx.caller, resourceActions(scopes));
  if (!access) return { status: 500, headers: {}, text: "" };
  const key = signingKey(ctx.sim);
  const now = new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const header = { typ: "JWT", alg: "RS256", kid: key.kid };
  const claims = {
    iss: TOKEN_ISSUER,
    sub: ctx.caller?.username ?? "",
    aud: TOKEN_SERVICE,
    exp: iat + TOKEN_EXPIRATION_SECONDS,
    nbf: iat,
    iat,
    jti: randomBytes(12).toString("base64url").slice(0, 16),
    access: access.length === 0 ? null : access,
  };
  const payload = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("RSA-SHA256", Buffer.from(payload), key.privateKey);
  return {
    status: 200,
    headers: {},
    json: { token: `${payload}.${b64url(signature)}`, expires_in: TOKEN_EXPIRATION_SECONDS, issued_at: now.toISOString().replace(/\.\d{3}Z$/, "Z") },
  };
}

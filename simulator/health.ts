// Harbor's IsHealthy per adapter type over real HTTP: factory checks (errors → 500) then the adapter's HealthCheck.
import { internalError } from "./responses";
import { RemoteUnreachableError, hasOverride, remoteRequest, type RemoteHttpOptions } from "./remote-http";
import { REGISTERED_ADAPTER_TYPES } from "./adapters";

/** The registry fields a health check reads. */
export interface HealthTarget {
  /** Adapter type, e.g. `docker-registry`. */
  type: string;
  /** Normalised endpoint URL. */
  url: string;
  /** Skip TLS verification. */
  insecure: boolean;
  /** PEM CA bundle ("" = system trust). */
  caCertificate: string;
  /** False when the request carried no credential object (Harbor's nil `Credential`). */
  hasCredential: boolean;
  /** Access key / user name ("" = none). */
  accessKey: string;
  /** Access secret / password ("" = none). */
  accessSecret: string;
}

/** Settings shared by every health check of one simulator. */
export interface HealthContext {
  /** Origin → origin replacements (`remoteOverrides`). */
  overrides: Record<string, string>;
  /** Timeout of one outgoing request in ms. */
  timeoutMs: number;
}

/** Outcome of a health check; factory failures are thrown as Harbor's 500 instead. */
export type Health = "healthy" | "unhealthy";

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first WWW-Authenticate challenge (`Basic realm=...` or `Bearer realm=...,service=...`). */
function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(value);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1]!.toLowerCase(), params };
}

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
}

function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}

function http(t: HealthTarget, ctx: HealthContext): RemoteHttpOptions {
  return { overrides: ctx.overrides, timeoutMs: ctx.timeoutMs, insecure: t.insecure, caCertificate: t.caCertificate };
}

/** Fetches a bearer token from a challenge's realm (basic auth when credentials are given). */
async function fetchToken(ch: Challenge, key: string, secret: string, opts: RemoteHttpOptions): Promise<string | undefined> {
  const realm = ch.params.realm;
  if (!realm) return undefined;
  const u = new URL(realm);
  if (ch.params.service) u.searchParams.set("service", ch.params.service);
  const headers: Record<string, string> = {};
  if (key !== "" || secret !== "") headers.authorization = basic(key, secret);
  const res = await remoteRequest("GET", u.toString(), opts, headers);
  if (!is2xx(res.status)) return undefined;
  try {
    const json = JSON.parse(res.body) as { token?: string; access_token?: string };
    return json.token ?? json.access_token;
  } catch {
    return undefined;
  }
}

/**
 * Native Ping()/PingSimple(): GET {base}/v2/ with the docker challenge dance. `simple` counts 401/403 as success
 * (used when no credentials are configured); otherwise any non-2xx is a failure.
 */
export async function pingV2(base: string, key: string, secret: string, simple: boolean, opts: RemoteHttpOptions): Promise<boolean> {
  const url = `${base.replace(/\/+$/, "")}/v2/`;
  try {
    const first = await remoteRequest("GET", url, opts);
    if (is2xx(first.status)) return true;
    if (simple) return first.status === 401 || first.status === 403;
    if (first.status !== 401) return false;
    const ch = parseChallenge(first.headers["www-authenticate"]);
    let authorization: string | undefined;
    if (ch?.scheme === "basic") authorization = basic(key, secret);
    else if (ch?.scheme === "bearer") {
      const token = await fetchToken(ch, key, secret, opts);
      if (!token) return false;
      authorization = `Bearer ${token}`;
    }
    if (!authorization) return false;
    const second = await remoteRequest("GET", url, opts, { authorization });
    return is2xx(second.status);
  } catch (e) {
    if (e instanceof RemoteUnreachableError) return false;
    throw e;
  }
}

/** GET {base}/v2/ anonymously and return its Bearer challenge (adapter factories of gitlab, ali-acr, volcengine-cr). */
async function bearerChallenge(base: string, opts: RemoteHttpOptions): Promise<Challenge | undefined> {
  try {
    const res = await remoteRequest("GET", `${base.replace(/\/+$/, "")}/v2/`, opts);
    const ch = parseChallenge(res.headers["www-authenticate"]);
    return ch?.scheme === "bearer" && ch.params.realm ? ch : undefined;
  } catch (e) {
    if (e instanceof RemoteUnreachableError) return undefined;
    throw e;
  }
}

const AWS_ECR_URL = /https:\/\/(?:api|(\d+)\.dkr)\.ecr(?:-public|-fips)?\.([\w\-]+)\.(amazonaws\.com(\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov)/;
const VOLC_URL = /https:\/\/(.*)\.cr\.volces|ivolces\.com/;
const VOLC_REGION = /(.*)-(cn-.*)/;

/** Rewrites `https://cr.<region>.aliyuncs.com` to `https://registry.<region>.aliyuncs.com` (ali-acr factory side effect). */
export function aliAcrUrl(url: string): string {
  const m = /^https?:\/\/cr\.([\w\-]+)\.aliyuncs\.com/.exec(url);
  return m ? url.replace(/\/\/cr\./, "//registry.") : url;
}

/**
 * Harbor's IsHealthy for a registry: throws Harbor's 500 for an unknown type or a failing adapter factory,
 * otherwise resolves healthy/unhealthy.
 */
export async function checkRegistryHealth(t: HealthTarget, ctx: HealthContext): Promise<Health> {
  const opts = http(t, ctx);
  const anyCred = t.accessKey !== "" || t.accessSecret !== "";
  const native = async (base: string, key = t.accessKey, secret = t.accessSecret): Promise<Health> =>
    (await pingV2(base, key, secret, !(key !== "" || secret !== ""), opts)) ? "healthy" : "unhealthy";

  if (!REGISTERED_ADAPTER_TYPES.includes(t.type)) throw internalError();
  switch (t.type) {
    case "huawei-SWR":
      return "healthy";
    case "harbor": {
      try {
        const headers: Record<string, string> = anyCred ? { authorization: basic(t.accessKey, t.accessSecret) } : {};
        const res = await remoteRequest("GET", `${t.url}/api/version`, opts, headers);
        // 404 means a Harbor 1.x remote (v1 adapter); any other failure aborts adapter construction.
        if (!is2xx(res.status) && res.status !== 404) throw internalError();
      } catch (e) {
        if (e instanceof RemoteUnreachableError) throw internalError();
        throw e;
      }
      return native(t.url);
    }
    case "docker-hub": {
      if (anyCred) {
        try {
          const res = await remoteRequest(
            "POST",
            "https://hub.docker.com/v2/auth/token",
            opts,
            { "content-type": "application/json" },
            JSON.stringify({ identifier: t.accessKey, secret: t.accessSecret }),
          );
          if (!is2xx(res.status)) throw internalError();
        } catch (e) {
          if (e instanceof RemoteUnreachableError) throw internalError();
          throw e;
        }
      }
      // The dockerhub adapter ignores the stored URL and pings the fixed registry host.
      return native("https://registry-1.docker.io");
    }
    case "github-ghcr":
      return native("https://ghcr.io");
    case "google-gcr":
      if (t.accessKey === "" || t.accessSecret === "") return "unhealthy";
      return native(t.url);
    case "aws-ecr":
      return checkEcr(t, ctx);
    case "quay": {
      let key = t.accessKey;
      let secret = t.accessSecret;
      if (t.accessSecret !== "") {
        try {
          const parsed = JSON.parse(t.accessSecret) as { account_name?: string; docker_cli_password?: string };
          key = parsed.account_name ?? "";
          secret = parsed.docker_cli_password ?? "";
        } catch {
          throw internalError();
        }
      }
      return native(t.url, key, secret);
    }
    case "gitlab":
      if (!(await bearerChallenge(t.url, opts))) throw internalError();
      return native(t.url);
    case "ali-acr": {
      const ch = await bearerChallenge(t.url, opts);
      if (!ch || !(ch.params.service ?? "").startsWith("registry.aliyuncs.com:")) throw internalError();
      return native(t.url);
    }
    case "tencent-tcr": {
      if (!/^(AKID|IKID)/.test(t.accessKey) || !new URL(t.url).host.includes(".tencentcloudcr.com")) throw internalError();
      if (!(await pingV2(t.url, "", "", true, opts))) throw internalError();
      return native(t.url);
    }
    case "volcengine-cr": {
      const m = VOLC_URL.exec(t.url);
      if (!m || !VOLC_REGION.test(m[1] ?? "")) throw internalError();
      if (!(await bearerChallenge(t.url, opts))) throw internalError();
      return native(t.url);
    }
    default:
      // docker-registry, azure-acr, jfrog-artifactory, dtr: the native adapter on the stored URL.
      return native(t.url);
  }
}

/** Builds the adapter only (what /registries/{id}/info needs): the factory's checks without the health check. */
export async function buildAdapter(t: HealthTarget, ctx: HealthContext): Promise<void> {
  if (!REGISTERED_ADAPTER_TYPES.includes(t.type)) throw internalError();
  if (t.type === "aws-ecr" && !AWS_ECR_URL.test(t.url)) throw internalError();
  if (t.type === "quay" && t.accessSecret !== "") {
    try {
      JSON.parse(t.accessSecret);
    } catch {
      throw internalError();
    }
  }
  if (t.type === "harbor") {
    try {
      const res = await remoteRequest("GET", `${t.url}/api/version`, http(t, ctx));
      if (!is2xx(res.status) && res.status !== 404) throw internalError();
    } catch (e) {
      if (e instanceof RemoteUnreachableError) throw internalError();
      throw e;
    }
  }
}

/**
 * aws-ecr: the factory needs an ECR URL and a credential object; the health check calls ECR GetAuthorizationToken.
 * The ECR API host is on the internet, so it is only reachable through a `remoteOverrides` entry for
 * `https://api.ecr.<region>.amazonaws.com` (e.g. a moto server).
 */
async function checkEcr(t: HealthTarget, ctx: HealthContext): Promise<Health> {
  const m = AWS_ECR_URL.exec(t.url);
  // Harbor dereferences the credential without a nil check: a panic, recovered as 500.
  if (!m || !t.hasCredential) throw internalError();
  const region = m[2]!;
  const apiOrigin = `https://api.ecr.${region}.${m[3]}`;
  if (!hasOverride(apiOrigin, ctx.overrides) || t.accessKey === "") return "unhealthy";
  const endpoint = Object.entries(ctx.overrides).find(([k]) => new URL(k).origin === apiOrigin)![1];
  try {
    // Loaded lazily: only ECR health checks need the AWS SDK.
    const ecr = require("@aws-sdk/client-ecr") as typeof import("@aws-sdk/client-ecr");
    const client = new ecr.ECRClient({
      region,
      endpoint,
      credentials: { accessKeyId: t.accessKey, secretAccessKey: t.accessSecret },
      maxAttempts: 1,
    });
    try {
      const out = await client.send(new ecr.GetAuthorizationTokenCommand({}), { abortSignal: AbortSignal.timeout(ctx.timeoutMs) });
      return out.authorizationData && out.authorizationData.length > 0 ? "healthy" : "unhealthy";
    } finally {
      client.destroy();
    }
  } catch {
    return "unhealthy";
  }
}

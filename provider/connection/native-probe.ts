// Probes a Docker Registry HTTP API V2 (`GET {url}/v2/`) from the runner, like Harbor's native adapter, and explains the result.
import type { Agent } from "undici";
import { connectionFailure, displayOrigin, endpointLabel } from "./failure";
import { HARBOR_SIDE } from "./harbor-ping";
import { createProbeAgent, probe, type ProbeOptions, type ProbeResponse } from "./http-probe";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** A user name and password to log in with (Basic, or Basic at a same-host Bearer token service). */
export interface ProbeCredentials {
  username: string;
  password: string;
}

/** What the `/v2/` probe found. */
export type NativeOutcome =
  /** `/v2/` answered 2xx (after logging in where challenged), or challenged an anonymous probe (Harbor's PingSimple accepts that). */
  | { kind: "accepted"; loggedIn: boolean }
  | { kind: "rejected"; status: number; at: "registry" | "token service" }
  | { kind: "foreign-realm"; realmHost: string }
  | { kind: "not-registry"; status: number }
  | { kind: "server-error"; status: number }
  | { kind: "redirect"; status: number; location: string }
  | { kind: "https-required" }
  | Exclude<ProbeResponse, { kind: "response" }>;

/** One `auth-param` list of a `WWW-Authenticate` header: scheme plus lower-cased parameter names. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a `WWW-Authenticate` header (registries send one). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const paramRe = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = paramRe.exec(m[2]!); p; p = paramRe.exec(m[2]!)) {
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

function basic(credentials: ProbeCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64")}`;
}

function v2Url(endpointUrl: string): string {
  return `${endpointUrl.replace(/\/+$/, "")}/v2/`;
}

function classifyStatus(res: Extract<ProbeResponse, { kind: "response" }>): NativeOutcome | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  if (res.status >= 300 && res.status < 400) {
    return { kind: "redirect", status: res.status, location: displayOrigin(res.headers["location"] ?? "") };
  }
  // Go's TLS server answers plain HTTP on a TLS port with exactly this 400 body.
  if (res.status === 400 && /HTTP request to an HTTPS server/i.test(res.body)) return { kind: "https-required" };
  if (res.status >= 500) return { kind: "server-error", status: res.status };
  return undefined;
}

/**
 * `GET {url}/v2/` as Harbor's native health check does it: anonymously first, then answering a Basic challenge, or a
 * Bearer challenge whose realm is on the endpoint's own host (credentials never go to another host or over a downgraded scheme).
 */
export async function probeRegistryV2(
  endpointUrl: string,
  credentials: ProbeCredentials | undefined,
  options: ProbeOptions,
): Promise<NativeOutcome> {
  const agent = createProbeAgent(options);
  try {
    return await probeWith(agent, endpointUrl, credentials, options);
  } finally {
    await agent.close().catch(() => undefined);
  }
}

async function probeWith(agent: Agent, endpointUrl: string, credentials: ProbeCredentials | undefined, options: ProbeOptions): Promise<NativeOutcome> {
  const send = (url: string, headers?: Record<string, string>) =>
    probe(agent, url, { headers, timeoutMs: options.timeoutMs, remoteOverrides: options.remoteOverrides });
  const url = v2Url(endpointUrl);
  const first = await send(url);
  if (first.kind !== "response") return first;
  const early = classifyStatus(first);
  if (early) return early;
  if (first.status >= 200 && first.status < 300) return { kind: "accepted", loggedIn: false };
  if (first.status === 401 || first.status === 403) {
    // Harbor's PingSimple (no credential) counts a 401/403 as healthy: the registry is there.
    if (!credentials) return { kind: "accepted", loggedIn: false };
    if (first.status === 403) return { kind: "rejected", status: 403, at: "registry" };
    const challenge = parseChallenge(first.headers["www-authenticate"]);
    if (challenge?.scheme === "bearer" && challenge.params["realm"]) {
      return bearerLogin(send, url, challenge, credentials);
    }
    const second = await send(url, { authorization: basic(credentials) });
    if (second.kind !== "response") return second;
    return classifyStatus(second) ?? (second.status < 300 ? { kind: "accepted", loggedIn: true } : { kind: "rejected", status: second.status, at: "registry" });
  }
  return { kind: "not-registry", status: first.status };
}

async function bearerLogin(
  send: (url: string, headers?: Record<string, string>) => Promise<ProbeResponse>,
  url: string,
  challenge: Challenge,
  credentials: ProbeCredentials,
): Promise<NativeOutcome> {
  const endpoint = new URL(url);
  let realm: URL;
  try {
    realm = new URL(challenge.params["realm"]!, endpoint);
  } catch {
    return { kind: "not-registry", status: 401 };
  }
  const downgrade = endpoint.protocol === "https:" && realm.protocol !== "https:";
  if (realm.hostname !== endpoint.hostname || downgrade) return { kind: "foreign-realm", realmHost: realm.host };
  if (challenge.params["service"]) realm.searchParams.set("service", challenge.params["service"]);
  if (challenge.params["scope"]) realm.searchParams.set("scope", challenge.params["scope"]);
  const tokenRes = await send(realm.toString(), { authorization: basic(credentials) });
  if (tokenRes.kind !== "response") return tokenRes;
  if (tokenRes.status === 401 || tokenRes.status === 403) return { kind: "rejected", status: tokenRes.status, at: "token service" };
  if (tokenRes.status >= 500) return { kind: "server-error", status: tokenRes.status };
  let token: string | undefined;
  try {
    const parsed = JSON.parse(tokenRes.body) as { token?: unknown; access_token?: unknown };
    token = typeof parsed.token === "string" ? parsed.token : typeof parsed.access_token === "string" ? parsed.access_token : undefined;
  } catch {
    token = undefined;
  }
  if (tokenRes.status >= 300 || !token) return { kind: "rejected", status: tokenRes.status, at: "token service" };
  const final = await send(url, { authorization: `Bearer ${token}` });
  if (final.kind !== "response") return final;
  return classifyStatus(final) ?? (final.status < 300 ? { kind: "accepted", loggedIn: true } : { kind: "rejected", status: final.status, at: "registry" });
}

/** How Harbor's answer is quoted at the end of a diagnosis sentence. */
export interface HarborSaid {
  /** e.g. `Harbor reports it unhealthy` or `Harbor could not set up its adapter (500)`. */
  summary: string;
  /** e.g. ` (Harbor request id abc)`. */
  note: string;
  /**
   * Set when Harbor itself failed rather than judged the endpoint (it timed out, or answered 500 while setting up its
   * adapter): one clause such as `Harbor did not finish the test within 30 s`. A remote that works from here then
   * points at Harbor, not at Harbor's egress.
   */
  harborFailure?: string;
}

/**
 * The conclusion when the remote works from this machine (`fromHere` says how, e.g. "registry.example.com is reachable
 * and accepted the credentials"): Harbor's own failure when it failed, else Harbor's network (`egress` names what it
 * must reach). Harbor-side failures are reported under no property (HARBOR_SIDE), as the other Harbor refusals are.
 */
export function remoteWorksFromHere(
  target: ConnectionTarget,
  harbor: HarborSaid,
  fromHere: string,
  egress: string,
  /** Where Harbor's egress problem is reported: `endpointUrl`, unless the type's host does not come from it. */
  egressProperty = "endpointUrl",
): ConnectionFailure {
  const label = endpointLabel(target);
  if (harbor.harborFailure) {
    return connectionFailure(
      target,
      HARBOR_SIDE,
      `${harbor.harborFailure} for ${label}, although from this machine ${fromHere}: Harbor itself failed, not the endpoint; check Harbor's health and load (Harbor's core log has the cause) and retry, or set connectionTest: "never"${harbor.note}.`,
    );
  }
  return connectionFailure(target, egressProperty, `${harbor.summary} for ${label}, yet from this machine ${fromHere}; so Harbor cannot reach ${egress} from its own network: check Harbor's DNS, egress firewall and proxy settings (HTTPS_PROXY/NO_PROXY)${harbor.note}.`);
}

/**
 * Turns a probe outcome into the one failure to report. `accepted` means the remote is fine from here, so the
 * problem is Harbor's own network; `extra` may add a type-specific check for that case (e.g. Harbor's /api/version).
 */
export function explainNativeOutcome(
  target: ConnectionTarget,
  probedUrl: string,
  outcome: NativeOutcome,
  harbor: HarborSaid,
  timeoutMs: number,
): ConnectionFailure {
  const label = endpointLabel(target);
  const origin = displayOrigin(probedUrl);
  const hasCredentials = (target.accessId ?? "") !== "" || (target.accessSecret ?? "") !== "";
  const f = (property: string, reason: string) => connectionFailure(target, property, reason);
  switch (outcome.kind) {
    case "unreachable":
      return f("endpointUrl", `${harbor.summary} for ${label} and ${origin} is unreachable from here too (${outcome.code}); check endpointUrl (host, port and scheme)${harbor.note}.`);
    case "timeout":
      return f("endpointUrl", `${harbor.summary} for ${label} and ${origin} did not answer within ${Math.round(timeoutMs / 100) / 10} s from here either; check endpointUrl and any firewall in between${harbor.note}.`);
    case "tls":
      if (outcome.code === "ERR_TLS_CERT_ALTNAME_INVALID") {
        return f("endpointUrl", `${harbor.summary} for ${label}: the TLS certificate of ${origin} does not name that host (${outcome.code}); use the host name the certificate was issued for in endpointUrl${harbor.note}.`);
      }
      if (target.caCertificate) {
        return f("caCertificate", `${harbor.summary} for ${label}: the TLS certificate of ${origin} is not signed by the CA in caCertificate (${outcome.code}); set caCertificate to the PEM of the CA that issued it${harbor.note}.`);
      }
      return f("caCertificate", `${harbor.summary} for ${label}: the TLS certificate of ${origin} is not trusted (${outcome.code}, self-signed or a private CA?); set caCertificate to the CA's PEM, or insecure: true to skip verification${harbor.note}.`);
    case "protocol":
      return f("endpointUrl", `${harbor.summary} for ${label}: ${origin} does not speak TLS (${outcome.code}); use http:// in endpointUrl if the registry serves plain HTTP${harbor.note}.`);
    case "https-required":
      return f("endpointUrl", `${harbor.summary} for ${label}: ${origin} expects TLS on that port; use https:// in endpointUrl${harbor.note}.`);
    case "redirect":
      return f("endpointUrl", `${harbor.summary} for ${label}: GET ${origin}/v2/ redirects (${outcome.status}) to ${outcome.location || "another location"}; set endpointUrl to the registry's final URL${harbor.note}.`);
    case "not-registry":
      return f("endpointUrl", `${harbor.summary} for ${label}: GET /v2/ on ${origin} answered ${outcome.status}, so endpointUrl does not point at a Docker Registry HTTP API V2; use the registry's base URL${harbor.note}.`);
    case "server-error":
      return f("endpointUrl", `${harbor.summary} for ${label}: ${origin} answered ${outcome.status} from here too, so the registry itself is failing; retry later or check the registry${harbor.note}.`);
    case "rejected":
      if (outcome.status === 403) {
        return f("accessId", `${harbor.summary} for ${label}: the ${outcome.at} of ${origin} denied access to accessId (403 Forbidden); give that account permission to use the registry${harbor.note}.`);
      }
      return f("accessSecret", `${harbor.summary} for ${label}: the ${outcome.at} of ${origin} rejected the credentials (${outcome.status}); check accessId and accessSecret${harbor.note}.`);
    case "foreign-realm":
      return f(
        hasCredentials ? "accessSecret" : "endpointUrl",
        `${harbor.summary} for ${label}: ${origin} is reachable from here but sends logins to a token service on another host (${outcome.realmHost}), so the credentials were not tried from here; check accessId and accessSecret, and that Harbor can reach both hosts${harbor.note}.`,
      );
    case "accepted":
      return remoteWorksFromHere(target, harbor, `${origin} is reachable${outcome.loggedIn ? " and accepted the credentials" : ""}`, "it");
  }
}

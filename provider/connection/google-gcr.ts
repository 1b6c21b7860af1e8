// Google GCR diagnosis: the service-account JSON key, its project vs. the endpoint namespace, and a real OAuth2 token.
import { createPrivateKey } from "node:crypto";
import { z } from "zod";
import { connectionFailure, endpointLabel } from "./failure";
import { type HarborSaid, remoteWorksFromHere } from "./native-probe";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** The constant token URL google-auth-library posts to; the key's own token_uri replaces it. */
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** The fields of a Google service-account key file this diagnosis relies on. */
export const GcrServiceAccountKeySchema = z.looseObject({
  type: z.literal("service_account"),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  token_uri: z.string().optional(),
});
/** A parsed service-account key. */
export type GcrServiceAccountKey = z.infer<typeof GcrServiceAccountKeySchema>;

/** Parses the secret as a service-account key, or says which part is wrong (never quoting it). */
export function parseServiceAccountKey(secret: string): { ok: true; key: GcrServiceAccountKey } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(secret);
  } catch {
    return { ok: false, problem: "is not valid JSON" };
  }
  const parsed = GcrServiceAccountKeySchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "the key")))].join(", ");
    return { ok: false, problem: `is not a service-account JSON key (check ${fields}; expected type "service_account", client_email, private_key, token_uri)` };
  }
  try {
    createPrivateKey(parsed.data.private_key);
  } catch {
    return { ok: false, problem: "has a private_key that is not a PEM private key" };
  }
  if (parsed.data.token_uri !== undefined && !isAcceptableTokenUri(parsed.data.token_uri)) {
    return { ok: false, problem: "has a token_uri that is not an https:// URL" };
  }
  return { ok: true, key: parsed.data };
}

// The signed assertion is sent to token_uri: only over TLS, or to this machine's loopback (local token servers in tests).
function isAcceptableTokenUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "https:" || (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname));
  } catch {
    return false;
  }
}

/** The project a GCR URL names (`https://gcr.io/<project>`), or undefined when the URL has no path. */
export function gcrNamespace(endpointUrl: string): string | undefined {
  try {
    const first = new URL(endpointUrl).pathname.split("/").filter((s) => s !== "")[0];
    return first === undefined ? undefined : first;
  } catch {
    return undefined;
  }
}

/** Network-free GCR checks: `_json_key`, a usable service-account key, and its project against the URL's namespace. */
export function precheckGoogleGcr(target: ConnectionTarget): ConnectionFailure[] {
  const label = endpointLabel(target);
  const failures: ConnectionFailure[] = [];
  const f = (property: string, reason: string) => failures.push(connectionFailure(target, property, reason));
  if ((target.accessId ?? "") !== "_json_key") {
    f("accessId", `accessId of ${label} must be "_json_key" for google-gcr (Harbor logs in to GCR with the service-account key as password).`);
  }
  const secret = target.accessSecret ?? "";
  if (secret === "") {
    f("accessSecret", `accessSecret of ${label} must be the whole service-account JSON key for google-gcr (Harbor reports an empty one unhealthy).`);
    return failures;
  }
  const parsed = parseServiceAccountKey(secret);
  if (!parsed.ok) {
    f("accessSecret", `accessSecret of ${label} ${parsed.problem}; paste the JSON key file downloaded for the service account.`);
    return failures;
  }
  const namespace = gcrNamespace(target.endpointUrl);
  if (namespace !== undefined && parsed.key.project_id !== undefined && namespace !== parsed.key.project_id) {
    f("endpointUrl", `endpointUrl of ${label} names the project "${namespace}" but the service-account key belongs to project "${parsed.key.project_id}"; use the key's project or a key of that project.`);
  }
  return failures;
}

/** What Google's token endpoint said about the key. */
export type GcrTokenCheck = { kind: "accepted" } | { kind: "rejected"; error: string } | { kind: "unreachable"; error: string };

/**
 * Exchanges a JWT signed with the key for an access token at the key's `token_uri` (google-auth-library signs; the
 * request is redirected from Google's constant URL to token_uri), once, without retries.
 */
export async function requestGcrToken(key: GcrServiceAccountKey, timeoutMs: number): Promise<GcrTokenCheck> {
  const tokenUri = key.token_uri ?? GOOGLE_TOKEN_URL;
  // Loaded on first use: google-auth-library costs tens of MB of the provider process's memory, and only GCR endpoints need it.
  const { JWT } = require("google-auth-library") as typeof import("google-auth-library");
  const client = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [SCOPE], transporterOptions: { timeout: timeoutMs } });
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
      // google-auth-library retries the token POST; a diagnosis wants one answer.
      config.retryConfig = { ...config.retryConfig, retry: 0, noResponseRetries: 0 };
      config.retry = false;
      return config;
    },
  });
  try {
    const { token } = await client.getAccessToken();
    return token ? { kind: "accepted" } : { kind: "rejected", error: "no access token in the answer" };
  } catch (e) {
    const err = e as { message?: string; status?: number; response?: { status?: number } };
    const error = (err.message ?? "unknown error").replace(/\s+/g, " ").replace(/\.\s*$/, "").slice(0, 200);
    const status = err.response?.status ?? err.status;
    return status === undefined ? { kind: "unreachable", error } : { kind: "rejected", error };
  }
}

/** Explains why Harbor found a google-gcr endpoint unhealthy, after the pre-checks passed. */
export async function diagnoseGoogleGcr(target: ConnectionTarget, harbor: HarborSaid, timeoutMs: number): Promise<ConnectionFailure> {
  const label = endpointLabel(target);
  const f = (property: string, reason: string) => connectionFailure(target, property, reason);
  const parsed = parseServiceAccountKey(target.accessSecret ?? "");
  if (!parsed.ok) return f("accessSecret", `${harbor.summary} for ${label}: accessSecret ${parsed.problem}${harbor.note}.`);
  const result = await requestGcrToken(parsed.key, timeoutMs);
  const who = `service account ${parsed.key.client_email}`;
  switch (result.kind) {
    case "rejected":
      return f("accessSecret", `${harbor.summary} for ${label}: Google rejected the key of ${who} (${result.error}); create a new JSON key for it and put it in accessSecret${harbor.note}.`);
    case "unreachable":
      return f("accessSecret", `${harbor.summary} for ${label}, and the key's token endpoint could not be reached from here either (${result.error}), so the key could not be checked${harbor.note}.`);
    case "accepted":
      if (harbor.harborFailure) return remoteWorksFromHere(target, harbor, `Google issued a token for ${who}`, "Google");
      return f("endpointUrl", `${harbor.summary} for ${label}, yet Google issued a token for ${who} from this machine; so either Harbor cannot reach ${new URL(target.endpointUrl).host} from its own network (DNS, egress firewall, proxy) or the account lacks read access to the registry's storage${harbor.note}.`);
  }
}

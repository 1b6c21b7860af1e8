// Harbor connection settings for the provider process: stack config (harbor:*) with environment fallbacks, parsed by zod.
import { z } from "zod";
import { plainHttpRefusal } from "./harbor/transport";
import { CONNECTION_TEST_MODES, type ConnectionTestMode } from "./registry-endpoint/schema";

/** What `configure()` receives: the subset of Pulumi's dynamic `Config` we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** The provider's Harbor settings after parsing. The password is held only in memory of the provider process. */
export interface HarborProviderConfig {
  /** Harbor API base, always ending in `/api/v2.0`. Absent when neither harbor:url nor HARBOR_URL is set. */
  url?: string;
  username?: string;
  password?: string;
  /** Skip TLS verification of the Harbor API itself (default false). */
  insecure: boolean;
  /** PEM bundle trusted for the Harbor API. */
  caCertificate?: string;
  /** Allow plain http:// to a Harbor that is not on this machine (harbor:allowHttp, default false). */
  allowHttp: boolean;
  /** Adopt same-named existing endpoints on create, as if every resource had `adopt: true` (harbor:adoptExisting). */
  adoptExisting: boolean;
  /** Stack-wide default of the `connectionTest` input. */
  connectionTest: ConnectionTestMode;
  /** Where a failed connection test is diagnosed (`harbor:connectionDiagnosis`); see {@link CONNECTION_DIAGNOSIS_MODES}. */
  connectionDiagnosis: ConnectionDiagnosisMode;
  /**
   * Answer reads that arrive together (a refresh) from one listing of Harbor's registries instead of one GET each
   * (`harbor:refreshListing`, default true); false reads every endpoint with its own `GET /registries/{id}`.
   */
  refreshListing: boolean;
}

/**
 * Values of `harbor:connectionDiagnosis` / `HARBOR_CONNECTION_DIAGNOSIS`:
 * - `local` (default): when Harbor's Test Connection fails, probe the remote from the machine running Pulumi to name
 *   the field at fault. The probes go to the endpoint's own host, or for fixed-host types (e.g. `docker-hub`) to that
 *   host on the internet.
 * - `harbor-only`: report Harbor's verdict as is and contact nothing but Harbor (runners without egress, or tests that
 *   must never reach the internet).
 */
export const CONNECTION_DIAGNOSIS_MODES = ["local", "harbor-only"] as const;

/** One of {@link CONNECTION_DIAGNOSIS_MODES}. */
export type ConnectionDiagnosisMode = (typeof CONNECTION_DIAGNOSIS_MODES)[number];

/** A boolean setting written as text (stack config and environment values are strings): true/false, 1/0, yes/no. */
export const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ["true", "false", "1", "0", "yes", "no"].includes(s), { message: "must be true or false" })
  .transform((s) => s === "true" || s === "1" || s === "yes");

/** Appends Harbor's API base path unless the URL already ends with it. */
export function harborApiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  return /\/api\/v2\.0$/.test(trimmed) ? trimmed : `${trimmed}/api/v2.0`;
}

/** A Harbor base URL setting: http(s), no user-info; parsed into the API base (`…/api/v2.0`). */
export const harborUrlSetting = z
  .string()
  .trim()
  .min(1)
  .refine((s) => /^https?:\/\/[^/?#]+/i.test(s), { message: "must be an http:// or https:// URL" })
  .refine((s) => !/^[a-z]+:\/\/[^/?#]*@/i.test(s), { message: "must not contain credentials (use the username and password settings)" })
  .transform(harborApiBase);

const rawConfigSchema = z.object({
  url: harborUrlSetting.optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  insecure: booleanText.optional(),
  caCertificate: z.string().min(1).optional(),
  allowHttp: booleanText.optional(),
  adoptExisting: booleanText.optional(),
  connectionTest: z.enum(CONNECTION_TEST_MODES, { error: () => `must be one of ${CONNECTION_TEST_MODES.join(", ")}` }).optional(),
  connectionDiagnosis: z.enum(CONNECTION_DIAGNOSIS_MODES, { error: () => `must be one of ${CONNECTION_DIAGNOSIS_MODES.join(", ")}` }).optional(),
  refreshListing: booleanText.optional(),
});

/** Stack config key → environment fallback. harbor:caCertificate has no variable (PEM in env is awkward and unasked). */
const KEYS = {
  url: ["harbor:url", "HARBOR_URL"],
  username: ["harbor:username", "HARBOR_USERNAME"],
  password: ["harbor:password", "HARBOR_PASSWORD"],
  insecure: ["harbor:insecure", "HARBOR_INSECURE"],
  caCertificate: ["harbor:caCertificate", undefined],
  allowHttp: ["harbor:allowHttp", "HARBOR_ALLOW_HTTP"],
  adoptExisting: ["harbor:adoptExisting", "HARBOR_ADOPT_EXISTING"],
  connectionTest: ["harbor:connectionTest", "HARBOR_CONNECTION_TEST"],
  connectionDiagnosis: ["harbor:connectionDiagnosis", "HARBOR_CONNECTION_DIAGNOSIS"],
  refreshListing: ["harbor:refreshListing", "HARBOR_REFRESH_LISTING"],
} as const;

/**
 * Reads the Harbor settings: stack config first, then the environment. Throws one error naming the bad key (never
 * its value) when a value is present but invalid; missing url/username/password are reported later, by
 * `requireHarborConnection`, only when Harbor is actually needed.
 */
export function readHarborConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): HarborProviderConfig {
  const raw: Record<string, string | undefined> = {};
  const from: Record<string, string> = {};
  for (const [field, [configKey, envKey]] of Object.entries(KEYS)) {
    const fromConfig = config?.get(configKey);
    const fromEnv = envKey ? env[envKey] : undefined;
    const value = fromConfig !== undefined && fromConfig !== "" ? fromConfig : fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
    raw[field] = value;
    from[field] = fromConfig !== undefined && fromConfig !== "" ? configKey : (envKey ?? configKey);
  }
  const parsed = rawConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "url");
    throw new Error(`Harbor provider configuration ${from[field] ?? field} ${issue.message}`);
  }
  // Refused here, naming the key, rather than at the first request: a password must never go out unencrypted.
  const refusal = parsed.data.url ? plainHttpRefusal(parsed.data.url, parsed.data.allowHttp === true) : undefined;
  if (refusal) throw new Error(`Harbor provider configuration ${from.url} ${refusal}.`);
  const out: HarborProviderConfig = {
    ...parsed.data,
    insecure: parsed.data.insecure ?? false,
    allowHttp: parsed.data.allowHttp ?? false,
    adoptExisting: parsed.data.adoptExisting ?? false,
    connectionTest: parsed.data.connectionTest ?? "onChange",
    connectionDiagnosis: parsed.data.connectionDiagnosis ?? "local",
    refreshListing: parsed.data.refreshListing ?? true,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as HarborProviderConfig;
}

/** Why Harbor cannot be reached with this configuration, or undefined when url, username and password are all set. */
export function missingHarborSettings(c: HarborProviderConfig): string | undefined {
  const missing = [
    c.url === undefined ? "harbor:url (or HARBOR_URL)" : undefined,
    c.username === undefined ? "harbor:username (or HARBOR_USERNAME)" : undefined,
    c.password === undefined ? "harbor:password (or HARBOR_PASSWORD)" : undefined,
  ].filter((s) => s !== undefined);
  return missing.length > 0 ? `the Harbor connection is not configured: set ${missing.join(", ")}` : undefined;
}

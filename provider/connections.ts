// Named Harbor connections: `default` (harbor:url …) plus harbor:connections / HARBOR_CONNECTIONS, resolved to clients in one place.
import { z } from "zod";
import { booleanText, type ConfigSource, harborUrlSetting, type HarborProviderConfig, readHarborConfig } from "./config";
import { HarborClient, type HarborClientOptions } from "./harbor/client";
import { plainHttpRefusal } from "./harbor/transport";

import { CONNECTION_NAME_PATTERN, DEFAULT_CONNECTION } from "./registry-endpoint/schema";

export { CONNECTION_NAME_PATTERN, DEFAULT_CONNECTION };

/** The settings one connection has, in the order they are documented. */
export const CONNECTION_SETTINGS = ["url", "username", "password", "insecure", "caCertificate", "allowHttp"] as const;

/** One of {@link CONNECTION_SETTINGS}. */
export type ConnectionSetting = (typeof CONNECTION_SETTINGS)[number];

/** Where a person fixes one connection: the stack config key of each setting, and the environment alternative. */
export interface HarborConnectionKeys {
  /** Stack config key per setting, e.g. `harbor:password` or `harbor:connections.eu.password`. */
  config: Record<ConnectionSetting, string>;
  /** The environment variables that can hold the same settings, e.g. `HARBOR_USERNAME/HARBOR_PASSWORD` or `HARBOR_CONNECTIONS`. */
  env: { url: string; credentials: string };
}

/** One Harbor connection after parsing. The password lives only in the memory of the process that read it. */
export interface HarborConnectionSettings {
  /** The connection's name (`default` for the harbor:url settings). */
  name: string;
  /** Harbor API base, always ending in `/api/v2.0`; absent when not configured. */
  url?: string;
  /** Harbor user or robot account. */
  username?: string;
  /** Password or robot secret. */
  password?: string;
  /** Skip TLS verification of this Harbor's API (default false). */
  insecure: boolean;
  /** PEM bundle trusted for this Harbor's API. */
  caCertificate?: string;
  /** Allow plain http:// to this Harbor although it is not on this machine (default false). */
  allowHttp: boolean;
  /** The config keys to name when this connection is wrong. */
  keys: HarborConnectionKeys;
}

/** Every connection a stack configures, plus the stack-wide settings. */
export interface HarborConnectionSet {
  /** The stack-wide settings (connectionTest, connectionDiagnosis) and the `default` connection, as `readHarborConfig` reads them. */
  config: HarborProviderConfig;
  /** The configured connection names, sorted; `default` is among them only when one of its settings is set. */
  names: string[];
  /** Settings by name; `default` is always present (possibly without url/username/password). */
  connections: Map<string, HarborConnectionSettings>;
}

const DEFAULT_KEYS: HarborConnectionKeys = {
  config: {
    url: "harbor:url", username: "harbor:username", password: "harbor:password", insecure: "harbor:insecure", caCertificate: "harbor:caCertificate",
    allowHttp: "harbor:allowHttp",
  },
  env: { url: "HARBOR_URL", credentials: "HARBOR_USERNAME/HARBOR_PASSWORD" },
};

function namedKeys(name: string): HarborConnectionKeys {
  const key = (s: ConnectionSetting) => `harbor:connections.${name}.${s}`;
  return {
    config: {
      url: key("url"), username: key("username"), password: key("password"), insecure: key("insecure"), caCertificate: key("caCertificate"),
      allowHttp: key("allowHttp"),
    },
    env: { url: "HARBOR_CONNECTIONS", credentials: "HARBOR_CONNECTIONS" },
  };
}

const connectionEntrySchema = z.strictObject({
  url: harborUrlSetting.optional(),
  // `pulumi config set --path … 12345` stores a YAML number; a numeric user name is still a user name.
  username: z
    .union([z.string().min(1, { message: "must not be empty" }), z.number().int().nonnegative().transform(String)], { error: "must be a string" })
    .optional(),
  password: z.string({ error: "must be a string (set it with `pulumi config set --secret --path …`)" }).min(1, { message: "must not be empty" }).optional(),
  // `pulumi config set --path … true` may store a YAML boolean or the text "true".
  insecure: z.union([z.boolean(), booleanText], { error: "must be true or false" }).optional(),
  allowHttp: z.union([z.boolean(), booleanText], { error: "must be true or false" }).optional(),
  caCertificate: z.string({ error: "must be a string" }).min(1, { message: "must not be empty" }).optional(),
});

/** Reads `harbor:connections` (or `HARBOR_CONNECTIONS`) into raw entries; the value is JSON text or, from some hosts, an object. */
function readNamedEntries(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): { from: "config" | "env"; value: unknown } | undefined {
  const fromConfig = config?.get("harbor:connections") as unknown;
  if (fromConfig !== undefined && fromConfig !== "") return { from: "config", value: fromConfig };
  const fromEnv = env.HARBOR_CONNECTIONS;
  if (fromEnv !== undefined && fromEnv !== "") return { from: "env", value: fromEnv };
  return undefined;
}

function configError(where: string, problem: string): Error {
  return new Error(`Harbor provider configuration ${where} ${problem}`);
}

/** Parses the named connections; throws one error naming the key at fault, never a value. */
function parseNamedConnections(source: { from: "config" | "env"; value: unknown }): Map<string, HarborConnectionSettings> {
  const root = source.from === "config" ? "harbor:connections" : "HARBOR_CONNECTIONS";
  const at = (name: string, setting?: string) =>
    source.from === "config" ? `${root}.${name}${setting ? `.${setting}` : ""}` : `${root} (connection ${name}${setting ? `, ${setting}` : ""})`;
  let value = source.value;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      // JSON.parse quotes part of its input in its message, and the input holds passwords.
      throw configError(root, "must be a JSON object of connection name → {url, username, password, insecure?, caCertificate?}");
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw configError(root, "must be an object of connection name → {url, username, password, insecure?, caCertificate?}");
  }
  const out = new Map<string, HarborConnectionSettings>();
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!CONNECTION_NAME_PATTERN.test(name)) {
      throw configError(root, `has a connection named ${JSON.stringify(name.slice(0, 80))}: names are 1-63 letters, digits, "-" or "_", starting with a letter or digit`);
    }
    const parsed = connectionEntrySchema.safeParse(entry ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.code === "unrecognized_keys") {
        const unknown = issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(", ");
        throw configError(at(name), `has unknown settings ${unknown}; the settings are ${CONNECTION_SETTINGS.join(", ")}`);
      }
      if (issue.path.length === 0) throw configError(at(name), "must be an object with url, username, password, insecure?, caCertificate?");
      throw configError(at(name, String(issue.path[0])), issue.message);
    }
    const d = parsed.data;
    const refusal = (d.url ? plainHttpRefusal(d.url, d.allowHttp === true) : undefined)?.replace("harbor:allowHttp", `harbor:connections.${name}.allowHttp`);
    if (refusal) throw configError(at(name, "url"), refusal);
    out.set(
      name,
      stripUndefined({
        name, url: d.url, username: d.username, password: d.password, insecure: d.insecure ?? false, caCertificate: d.caCertificate,
        allowHttp: d.allowHttp ?? false, keys: namedKeys(name),
      }),
    );
  }
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Reads every Harbor connection and the stack-wide settings: stack config first, then the environment. The
 * `harbor:url`/`username`/`password`/`insecure`/`caCertificate` settings (or `HARBOR_*`) are the connection named
 * `default`; `harbor:connections` (or the JSON in `HARBOR_CONNECTIONS`) adds named ones, and may define `default`
 * itself when the `harbor:url` family is unset. Throws one error naming the bad key (never its value).
 */
export function readHarborConnections(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): HarborConnectionSet {
  const base = readHarborConfig(config, env);
  const source = readNamedEntries(config, env);
  const connections = source ? parseNamedConnections(source) : new Map<string, HarborConnectionSettings>();
  const defaultSet = base.url !== undefined || base.username !== undefined || base.password !== undefined || base.caCertificate !== undefined;
  const namedDefault = connections.get(DEFAULT_CONNECTION);
  if (namedDefault && defaultSet) {
    throw configError(
      source!.from === "config" ? "harbor:connections.default" : "HARBOR_CONNECTIONS (connection default)",
      "defines the default connection, which harbor:url, harbor:username and harbor:password (or HARBOR_URL, HARBOR_USERNAME, HARBOR_PASSWORD) already define; keep one of the two",
    );
  }
  if (!namedDefault) {
    connections.set(
      DEFAULT_CONNECTION,
      stripUndefined({
        name: DEFAULT_CONNECTION, url: base.url, username: base.username, password: base.password, insecure: base.insecure,
        caCertificate: base.caCertificate, allowHttp: base.allowHttp, keys: DEFAULT_KEYS,
      }),
    );
  }
  const names = [...connections.keys()].filter((n) => n !== DEFAULT_CONNECTION || namedDefault !== undefined || defaultSet).sort();
  return { config: base, names, connections };
}

/** Quotes and joins connection names for a message: `"default" and "eu"`, or "none" when the list is empty. */
export function listConnectionNames(names: readonly string[]): string {
  const quoted = names.map((n) => JSON.stringify(n));
  if (quoted.length === 0) return "none";
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** Why `name` cannot be used because no such connection is configured (one clause, no final period). */
export function unknownConnectionReason(name: string, set: Pick<HarborConnectionSet, "names">): string {
  const shown = JSON.stringify(name.slice(0, 80));
  return `names the Harbor connection ${shown}, which is not configured (configured connections: ${listConnectionNames(set.names)}); add it with \`pulumi config set --path 'harbor:connections.${CONNECTION_NAME_PATTERN.test(name) ? name : "<name>"}.url' …\` (plus username and a --secret password) or use one of those`;
}

/** Why this connection cannot reach Harbor, or undefined when url, username and password are all set (no final period). */
export function missingConnectionSettings(c: HarborConnectionSettings): string | undefined {
  const missing = [
    c.url === undefined ? `${c.keys.config.url}${c.name === DEFAULT_CONNECTION ? ` (or ${c.keys.env.url})` : ""}` : undefined,
    c.username === undefined ? `${c.keys.config.username}${c.name === DEFAULT_CONNECTION ? " (or HARBOR_USERNAME)" : ""}` : undefined,
    c.password === undefined ? `${c.keys.config.password}${c.name === DEFAULT_CONNECTION ? " (or HARBOR_PASSWORD)" : ""}` : undefined,
  ].filter((s) => s !== undefined);
  if (missing.length === 0) return undefined;
  const which = c.name === DEFAULT_CONNECTION ? "the Harbor connection" : `the Harbor connection "${c.name}"`;
  return `${which} is not configured: set ${missing.join(", ")}`;
}

/** "Harbor connection "eu" (https://harbor-eu.example.com)", for messages; the default connection is just "Harbor (url)". */
export function connectionLabel(c: HarborConnectionSettings): string {
  const where = c.url ? ` (${c.url.replace(/\/api\/v2\.0$/, "")})` : "";
  return c.name === DEFAULT_CONNECTION ? `Harbor${where}` : `Harbor connection "${c.name}"${where}`;
}

/**
 * Makes a message written for the default connection true for `c`: names its config keys instead of `harbor:url` …
 * and its environment variable, and says which connection it is about. Messages about `default` come back unchanged.
 */
export function inConnection(message: string, c: HarborConnectionSettings): string {
  if (c.name === DEFAULT_CONNECTION) return message;
  const renamed = message
    .replace(/\bharbor:(url|username|password|insecure|caCertificate|allowHttp)\b/g, (_, s: ConnectionSetting) => c.keys.config[s])
    .replace(/HARBOR_USERNAME\/HARBOR_PASSWORD|HARBOR_URL|HARBOR_USERNAME|HARBOR_PASSWORD|HARBOR_INSECURE/g, "HARBOR_CONNECTIONS")
    .replace(/(HARBOR_CONNECTIONS)(\/HARBOR_CONNECTIONS)+/g, "$1");
  return renamed.includes(`"${c.name}"`) ? renamed : `Harbor connection "${c.name}": ${renamed}`;
}

/** Whether two connections lead to the same Harbor (same API base URL), so an endpoint name cannot exist on both at once. */
export function sameHarbor(a: HarborConnectionSettings | undefined, b: HarborConnectionSettings | undefined): boolean {
  return a?.url !== undefined && a.url.toLowerCase() === b?.url?.toLowerCase();
}

/** Options of a {@link HarborConnectionPool}. */
export interface HarborConnectionPoolOptions {
  /** Extra HarborClient options (timeouts, retry), merged over every connection's settings. */
  clientOptions?: Partial<HarborClientOptions>;
}

/**
 * The one place that turns a connection name into a Harbor client: one client per connection, created on first use,
 * for the provider process and the program's lookups alike.
 */
export class HarborConnectionPool {
  private readonly clients = new Map<string, HarborClient>();

  /**
   * @param set - the connections as {@link readHarborConnections} read them.
   * @param options - client options for tests.
   */
  constructor(
    readonly set: HarborConnectionSet,
    private readonly options: HarborConnectionPoolOptions = {},
  ) {}

  /** The settings of `name`, or undefined when no such connection is configured. */
  settings(name: string): HarborConnectionSettings | undefined {
    return this.set.connections.get(name);
  }

  /** Every password of every connection: none may appear in any message. */
  secrets(): string[] {
    return [...this.set.connections.values()].map((c) => c.password).filter((p): p is string => p !== undefined);
  }

  /** The client of `name`; throws an Error saying what to configure when the connection is unknown or incomplete. */
  client(name: string): HarborClient {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const c = this.settings(name);
    if (!c) throw new Error(`Harbor connection ${JSON.stringify(name)} is not configured (configured connections: ${listConnectionNames(this.set.names)}).`);
    const missing = missingConnectionSettings(c);
    if (missing) throw new Error(`${missing}.`);
    const client = new HarborClient({
      url: c.url!,
      username: c.username!,
      password: c.password!,
      insecure: c.insecure,
      caCertificate: c.caCertificate,
      allowHttp: c.allowHttp,
      ...this.options.clientOptions,
    });
    this.clients.set(name, client);
    return client;
  }

  /** Closes every client created so far. */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }
}

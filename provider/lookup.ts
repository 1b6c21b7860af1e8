// getRegistryEndpoint's implementation (program process): resolve the connection, ask Harbor for the exact name, explain a miss.
import type { ConfigSource } from "./config";
import {
  CONNECTION_NAME_PATTERN,
  connectionLabel,
  DEFAULT_CONNECTION,
  HarborConnectionPool,
  type HarborConnectionPoolOptions,
  inConnection,
  listConnectionNames,
  readHarborConnections,
} from "./connections";
import type { RegistryEndpointLookup, RegistryEndpointLookupOptions, RegistryEndpointLookupRequest } from "./lookup-types";
import { redact } from "./redact";
import { toRegistryEndpointLookup } from "./registry-endpoint/mapping";

/** How many existing names a "not found" error suggests. */
export const CLOSEST_NAMES = 5;

/** Thrown when no endpoint has the exact name; carries the closest existing names. Recognised by `errorKind`. */
export class RegistryEndpointNotFoundError extends Error {
  /** Brand, recognised without instanceof. */
  readonly errorKind = "RegistryEndpointNotFoundError";
  /** The name looked up. */
  readonly endpointName: string;
  /** The connection searched. */
  readonly connection: string;
  /** Up to {@link CLOSEST_NAMES} existing names, closest first. */
  readonly closest: string[];
  constructor(message: string, endpointName: string, connection: string, closest: string[]) {
    super(message);
    this.name = "RegistryEndpointNotFoundError";
    this.endpointName = endpointName;
    this.connection = connection;
    this.closest = closest;
  }
}

/** Levenshtein distance (UTF-16 units); names are at most 64 bytes, so the quadratic table is small. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The `limit` names closest to `name`: case-insensitive edit distance first, then the exact one, then by name. */
export function closestNames(name: string, names: readonly string[], limit = CLOSEST_NAMES): string[] {
  const lower = name.toLowerCase();
  return [...new Set(names)]
    .map((n) => ({ n, folded: editDistance(lower, n.toLowerCase()), exact: editDistance(name, n) }))
    .sort((x, y) => x.folded - y.folded || x.exact - y.exact || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .slice(0, limit)
    .map((x) => x.n);
}

/** Where a lookup reads its connections from, and client options (tests). */
export interface LookupEnvironment extends HarborConnectionPoolOptions {
  /** Stack config (`harbor:*`) of the program. */
  config?: ConfigSource;
  /** Environment for the `HARBOR_*` fallbacks. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

function checkRequest(request: RegistryEndpointLookupRequest): { name: string; connection: string } {
  const r = (request ?? {}) as Partial<Record<keyof RegistryEndpointLookupRequest, unknown>>;
  if (typeof r.name !== "string" || r.name === "") throw new TypeError("getRegistryEndpoint: name must be a non-empty string (the endpoint's exact name in Harbor).");
  const connection = r.connection ?? DEFAULT_CONNECTION;
  if (typeof connection !== "string" || !CONNECTION_NAME_PATTERN.test(connection)) {
    throw new TypeError('getRegistryEndpoint: connection must be a connection name (1-63 letters, digits, "-" or "_"), a key of harbor:connections, or "default".');
  }
  return { name: r.name, connection };
}

/**
 * Finds the endpoint named exactly `request.name` on the Harbor of `request.connection`: Harbor's exact `q=name=` query,
 * every page, then a case-sensitive comparison. No such name ⇒ {@link RegistryEndpointNotFoundError} naming the name, the
 * Harbor and the closest existing names. Makes only GET requests, so it is safe in `pulumi preview`.
 */
export async function lookupRegistryEndpoint(
  request: RegistryEndpointLookupRequest,
  options: RegistryEndpointLookupOptions = {},
  environment: LookupEnvironment = {},
): Promise<RegistryEndpointLookup> {
  const { name, connection } = checkRequest(request);
  const set = readHarborConnections(environment.config, environment.env ?? process.env);
  const settings = set.connections.get(connection);
  if (!settings) {
    throw new Error(
      `getRegistryEndpoint(${JSON.stringify(name)}): the Harbor connection ${JSON.stringify(connection)} is not configured (configured connections: ${listConnectionNames(set.names)}); add it to harbor:connections or use one of those.`,
    );
  }
  const clientOptions = { ...environment.clientOptions, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
  const pool = new HarborConnectionPool(set, { clientOptions });
  try {
    const client = pool.client(connection);
    const found = await client.findRegistryByName(name);
    if (found) return toRegistryEndpointLookup(found);
    const closest = closestNames(name, (await client.listRegistries()).map((r) => r.name));
    const suggestion =
      closest.length === 0 ? "it has no registry endpoints at all" : `the closest existing names are ${closest.map((n) => JSON.stringify(n)).join(", ")}`;
    throw new RegistryEndpointNotFoundError(
      `getRegistryEndpoint: no registry endpoint is named ${JSON.stringify(name)} in ${connectionLabel(settings)} (names match exactly and case-sensitively); ${suggestion}.`,
      name,
      connection,
      closest,
    );
  } catch (e) {
    if (e instanceof Error && !(e instanceof RegistryEndpointNotFoundError)) {
      e.message = redact(`getRegistryEndpoint(${JSON.stringify(name)}): ${inConnection(e.message, settings)}`, pool.secrets());
    }
    throw e;
  } finally {
    await pool.close();
  }
}

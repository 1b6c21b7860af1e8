// What every simulator handler receives: the bound request, the caller, and the simulator's state and settings.
import type { Caller } from "./auth";
import type { HealthContext } from "./health";
import type { SimResponse } from "./responses";
import type { SimStore } from "./store";
import type { RawBody } from "./validation";

/** Per-simulator state and settings shared by all handlers. */
export interface SimState {
  /** The in-memory database. */
  store: SimStore;
  /** Settings of outgoing health checks. */
  health: HealthContext;
  /** `ca_certificate` exists (v2.15.0+). */
  withCa: boolean;
  /** HEAD (v2.16 dev) behaviours are on. */
  head: boolean;
  /** Simulated Harbor release, e.g. `v2.15.2`. */
  harborVersion: string;
  /** REPLICATION_ADAPTER_WHITELIST: types listed by the adapter endpoints. */
  adapterWhitelist: readonly string[];
  /** PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE: registry types a proxy-cache project may use. */
  proxyCacheTypes: readonly string[];
  /** Read-only mode: writes get 403 DENIED. */
  readOnly: boolean;
  /** The simulator's own base URL (no `/api/v2.0`). */
  baseUrl: string;
}

/** One request as a handler sees it. */
export interface HandlerContext {
  /** HTTP method. */
  method: string;
  /** Path without query. */
  path: string;
  /** Decoded query parameters. */
  query: URLSearchParams;
  /** Path parameters, e.g. `id`. */
  params: Record<string, string>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string | string[] | undefined>;
  /** The unbound request body. */
  body: RawBody;
  /** Who is calling (undefined = anonymous). */
  caller: Caller;
  /** The simulator's state and settings. */
  sim: SimState;
}

/** A route handler. */
export type Handler = (ctx: HandlerContext) => Promise<SimResponse>;

// What every simulator handler receives: the bound request, the caller, and the simulator's state and settings.
import type { Caller } from "./auth";
import type { HealthContext } from "./health";
import type { SimResponse } from "./responses";
import type { SimStore } from "./store";
import type { RawBody } from "./validation";

/** Per-simulator state and settings shared by all handlers. */
export interface SimState {
  store: SimStore;
  health: HealthContext;
  /** `ca_certificate` exists (v2.15.0+). */
  withCa: boolean;
  /** HEAD (v2.16 dev) behaviours are on. */
  head: boolean;
  harborVersion: string;
  adapterWhitelist: readonly string[];
  proxyCacheTypes: readonly string[];
  readOnly: boolean;
  baseUrl: string;
}

/** One request as a handler sees it. */
export interface HandlerContext {
  method: string;
  /** Path without query. */
  path: string;
  query: URLSearchParams;
  /** Path parameters, e.g. `id`. */
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: RawBody;
  caller: Caller;
  sim: SimState;
}

/** A route handler. */
export type Handler = (ctx: HandlerContext) => Promise<SimResponse>;

// diff(): the RegistryEndpoint diff table (field → replaces? secret? how compared) and its evaluation.
import { normaliseInputs } from "./check";
import { isUnknown, parseState, type RegistryEndpointState } from "./schema";

/** How a field's old (state) and new (checked input) values are compared. */
export type Comparison =
  /** Same string after alias mapping. */
  | "canonical-type"
  /** Same string. */
  | "exact"
  /** Same string, with "" and absent equal (Harbor omits empty values). */
  | "optional-text"
  /** Same URL after Harbor's normalisation (fixed endpoints filled in). */
  | "normalised-url"
  /** Same boolean, absent = false. */
  | "boolean-default-false"
  /** Same secret, and no credential drift flagged by the last refresh. */
  | "secret"
  /** Same connection name, absent = "default" (state written before connections existed). */
  | "connection-name";

/** One row of the diff table. */
export interface DiffRow {
  /** A change replaces the Harbor endpoint instead of updating it. */
  replaces: boolean;
  /** The value is secret: compared, never printed. */
  secret: boolean;
  /** The update touches only our state, not Harbor (create-time or check-time settings). */
  localOnly: boolean;
  comparison: Comparison;
}

/**
 * The diff table. Every input is a row; `__provider` and the output-only fields (registryId, status, creationTime,
 * updateTime, stateVersion, lastWriteTime, credentialsDriftSuspected) are not rows and therefore never cause a diff.
 * Harbor cannot change an endpoint's type (RegistryUpdate has no `type`), and an endpoint cannot move from one Harbor to
 * another, hence the two replacing rows; a rename is a plain PUT.
 */
export const DIFF_TABLE = {
  providerName: { replaces: true, secret: false, localOnly: false, comparison: "canonical-type" },
  name: { replaces: false, secret: false, localOnly: false, comparison: "exact" },
  description: { replaces: false, secret: false, localOnly: false, comparison: "optional-text" },
  endpointUrl: { replaces: false, secret: false, localOnly: false, comparison: "normalised-url" },
  accessId: { replaces: false, secret: false, localOnly: false, comparison: "optional-text" },
  accessSecret: { replaces: false, secret: true, localOnly: false, comparison: "secret" },
  insecure: { replaces: false, secret: false, localOnly: false, comparison: "boolean-default-false" },
  caCertificate: { replaces: false, secret: false, localOnly: false, comparison: "optional-text" },
  adopt: { replaces: false, secret: false, localOnly: true, comparison: "boolean-default-false" },
  connectionTest: { replaces: false, secret: false, localOnly: true, comparison: "optional-text" },
  connection: { replaces: true, secret: false, localOnly: true, comparison: "connection-name" },
} as const satisfies Record<string, DiffRow>;

/** A field of the diff table. */
export type DiffField = keyof typeof DIFF_TABLE;

/** The diff of one resource: the engine's DiffResult plus the changed field names (for update and tests). */
export interface RegistryEndpointDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Every field that differs, in table order. */
  changed: DiffField[];
}

/** True when the row's old and new values differ (an unknown new value always differs). */
export function fieldChanged(field: DiffField, olds: Record<string, unknown>, news: Record<string, unknown>, state: RegistryEndpointState): boolean {
  const n = news[field];
  if (isUnknown(n)) return true;
  const o = olds[field];
  if (DIFF_TABLE[field].comparison === "secret") {
    // A refresh that saw Harbor's record change after our last write cannot tell whether the secret changed
    // (Harbor only ever answers "*****"), so the desired secret is re-asserted.
    if (state.credentialsDriftSuspected === true && n !== undefined) return true;
  }
  return o !== n;
}

/** What `diffRegistryEndpoint` may ask about the provider's configuration. */
export interface DiffContext {
  /** Whether two connection names lead to the same Harbor (then an endpoint's name cannot exist on both at once). */
  sameHarbor?: (oldConnection: string, newConnection: string) => boolean;
}

/**
 * Compares stored outputs (`olds`, any release's state, parsed leniently) with checked inputs (`news`). Both sides
 * are normalised the same way, so a URL Harbor rewrote or an alias in old state never causes a spurious diff.
 */
export function diffRegistryEndpoint(oldsRaw: Record<string, unknown>, newsRaw: Record<string, unknown>, ctx: DiffContext = {}): RegistryEndpointDiff {
  const state = parseState(oldsRaw);
  const olds = normaliseInputs(state as Record<string, unknown>);
  const news = normaliseInputs(newsRaw);
  for (const [k, v] of Object.entries(newsRaw)) if (isUnknown(v)) news[k] = v;
  const changed = (Object.keys(DIFF_TABLE) as DiffField[]).filter((f) => fieldChanged(f, olds, news, state));
  const replaces = changed.filter((f) => DIFF_TABLE[f].replaces);
  // Names are unique per Harbor, not across Harbors: on the same Harbor the replacement can only be created after the
  // old endpoint is gone; moved to another Harbor, it is created there first, so a failed create deletes nothing.
  const moved =
    changed.includes("connection") &&
    !isUnknown(news.connection) &&
    !(ctx.sameHarbor?.(String(olds.connection), String(news.connection)) ?? false);
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && !moved,
    changed,
  };
}

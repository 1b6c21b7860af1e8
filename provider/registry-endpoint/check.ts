// check(): validates and normalises RegistryEndpoint inputs, then decides whether to run Harbor's connection test.
import { X509Certificate } from "node:crypto";
import { engineLog } from "../engine-log";
import { redact } from "../redact";
import type { ConnectionFailure, ConnectionTarget } from "../connection";
import { checkCredentialShape } from "./credential-shapes";
import { harborStoredUrl, normaliseEndpointUrl } from "./endpoint-url";
import { checkHarborColumns } from "./harbor-columns";
import { HARBOR_SECRET_PLACEHOLDER } from "./mapping";
import type { RunPhase } from "../run-phase";
import {
  canonicalProviderName,
  type ConnectionTestMode,
  DEFAULT_CONNECTION,
  FIXED_ENDPOINTS,
  INPUT_KEYS,
  isUnknown,
  registryEndpointInputsSchema,
  type RegistryProviderType,
} from "./schema";

/** One check failure: the input key at fault and one sentence; never a secret value. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * The `property` of a check failure whose fix lies in the Harbor connection's config rather than in an input of the
 * endpoint: empty, so the engine prints "has a problem: …" without blaming a property (the reason names the key).
 */
export const HARBOR_CONNECTION_PROBLEM = "";

/** How endpoints are tested through one Harbor connection. */
export interface CheckConnection {
  /** Runs the connection test; absent when the connection is not configured (then `unavailableReason` says why). */
  testConnection?: (target: ConnectionTarget) => Promise<ConnectionFailure[]>;
  /** Why the connection test cannot run (for example, harbor:url is not set). */
  unavailableReason?: string;
  /**
   * Verifies the Harbor connection itself (reachable, TLS, login, permissions) before anything relies on it, memoised by
   * the caller per connection; resolves with one sentence when it is unusable, reported under `connection`.
   */
  verify?: () => Promise<string | undefined>;
}

/** What `checkRegistryEndpoint` needs from the provider around it. */
export interface CheckContext extends CheckConnection {
  /** The stack-wide default for `connectionTest` (harbor:connectionTest / HARBOR_CONNECTION_TEST), "onChange" if unset. */
  defaultConnectionTest: ConnectionTestMode;
  /**
   * Resolves the `connection` input (default `"default"`) to how endpoints are tested through it, or to why that name
   * cannot be used (reported under `connection`). Absent: every endpoint goes through the one connection this context
   * describes itself.
   */
  connection?: (name: string) => CheckConnection | { failure: string };
  /**
   * Leave the connection test of an endpoint that already exists (old inputs given) to `diff`, which the engine runs
   * in parallel under PULUMI_PARALLEL_DIFF=true (see `diffConnectionTest`). Default false: check tests every endpoint.
   */
  testExistingInDiff?: boolean;
  /**
   * The run phase the program reported (provider/run-phase.ts). In `"update"` a new endpoint is not pinged: the POST
   * that creates it makes Harbor run the same health check, and its refusal gets the same diagnosis. Default: preview.
   */
  phase?: RunPhase;
}

/** Whether and why the connection test ran; returned for tests and diagnostics, not part of the Pulumi contract. */
export type ConnectionTestDecision =
  | { run: true; reason: "new" | "changed" | "always" }
  | { run: false; reason: "never" | "unchanged" | "unknown-values" | "invalid-inputs" | "in-diff" | "harbor-health-check" };

/** The result of `checkRegistryEndpoint`: the inputs to store, failures, and the connection-test decision. */
export interface CheckOutcome {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  connectionTest: ConnectionTestDecision;
}

/** The inputs Harbor uses to reach the remote registry; a change to any of them re-runs the connection test. */
export const CONNECTION_FIELDS = ["providerName", "endpointUrl", "accessId", "accessSecret", "insecure", "caCertificate", "connection"] as const;

const SECRET_KEYS = ["accessSecret"] as const;

/** Text inputs held against Harbor's columns and display rules (see harbor-columns.ts). */
const COLUMN_CHECKED_KEYS = ["name", "description", "endpointUrl", "accessId", "accessSecret", "caCertificate"] as const;

/** Optional text inputs where "" means "not set" (Harbor omits them on read, and a PUT of "" clears them). */
const OPTIONAL_TEXT_KEYS = ["description", "accessId", "accessSecret", "caCertificate"] as const;

/** Validates every PEM CERTIFICATE block locally, the way Harbor's ValidateCACertificate would. */
export function checkCaCertificate(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return "must be a PEM bundle with at least one -----BEGIN CERTIFICATE----- block";
  for (let i = 0; i < blocks.length; i++) {
    try {
      new X509Certificate(blocks[i]!);
    } catch {
      return `certificate block ${i + 1} of ${blocks.length} is not a valid X.509 certificate`;
    }
  }
  return undefined;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Maps an empty string to undefined: Harbor treats "" as "not set" for these fields and omits it on read. */
function emptyToUndefined(v: unknown): unknown {
  return v === "" || v === null ? undefined : v;
}

/**
 * Normalises one set of inputs (already-checked or raw) into comparable values without reporting failures. Used on
 * `olds` so that state written by older releases, or unnormalised, compares equal to freshly checked inputs.
 */
export function normaliseInputs(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) out[key] = emptyToUndefined(raw[key]);
  if (typeof out.providerName === "string") out.providerName = canonicalProviderName(out.providerName);
  if (typeof out.endpointUrl === "string" && !isUnknown(out.endpointUrl)) {
    const n = normaliseEndpointUrl(out.endpointUrl);
    if (n.ok) out.endpointUrl = typeof out.providerName === "string" ? harborStoredUrl(out.providerName, n.url) : n.url;
  }
  if (out.endpointUrl === undefined && typeof out.providerName === "string" && Object.hasOwn(FIXED_ENDPOINTS, out.providerName)) {
    out.endpointUrl = FIXED_ENDPOINTS[out.providerName as RegistryProviderType];
  }
  if (out.insecure === undefined) out.insecure = false;
  if (out.adopt === undefined) out.adopt = false;
  // State written before connections existed has no key: it was written through the default connection.
  if (out.connection === undefined) out.connection = DEFAULT_CONNECTION;
  return stripUndefined(out);
}

/** Decides whether this check runs the connection test (issue 5's decision table). */
export function decideConnectionTest(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  defaultMode: ConnectionTestMode,
): ConnectionTestDecision {
  const requested = news.connectionTest;
  const mode: ConnectionTestMode =
    requested === "onChange" || requested === "always" || requested === "never" ? requested : defaultMode;
  if (mode === "never") return { run: false, reason: "never" };
  // Any unknown input skips the test, not only connection fields: the engine sends the sentinel itself as a value
  // (an unknown name would reach Harbor as the endpoint's name), and issue 3 promises no network call for it.
  if (INPUT_KEYS.some((k) => isUnknown(news[k]))) return { run: false, reason: "unknown-values" };
  if (mode === "always") return { run: true, reason: "always" };
  if (olds.providerName === undefined) return { run: true, reason: "new" };
  const before = normaliseInputs(olds);
  const after: Record<string, unknown> = { connection: DEFAULT_CONNECTION, ...news };
  const changed = CONNECTION_FIELDS.some((k) => before[k] !== after[k]);
  return changed ? { run: true, reason: "changed" } : { run: false, reason: "unchanged" };
}

/** What the user is told when unknown inputs postpone the connection test (names the fields, never values). */
export function unknownValuesSkipMessage(checked: Record<string, unknown>): string {
  const name = typeof checked.name === "string" && !isUnknown(checked.name) ? `RegistryEndpoint "${checked.name}"` : "a RegistryEndpoint whose name is not known yet";
  const fields = INPUT_KEYS.filter((k) => isUnknown(checked[k]));
  const list = fields.length === 1 ? fields[0] : `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]}`;
  const one = fields.length === 1;
  return `${name}: connection test skipped: ${list} ${one ? "is" : "are"} not known during preview (${one ? "it comes" : "they come"} from another resource's outputs); \`pulumi up\` checks the endpoint again once ${one ? "it is" : "they are"} known.`;
}

/**
 * Validates and normalises new inputs. Values not yet known (the engine's sentinel) pass through unvalidated and
 * suppress any check that depends on them, including the network. Failures name the input key and never carry a
 * secret; connection-test failures from the connection layer are redacted again before they are returned.
 */
export async function checkRegistryEndpoint(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const failures: CheckFailure[] = [];
  const secrets = SECRET_KEYS.map((k) => news[k]).filter((v): v is string => typeof v === "string" && !isUnknown(v));
  const fail = (property: string, reason: string) => failures.push({ property, reason: redact(reason, secrets) });

  const raw: Record<string, unknown> = {};
  // Own properties only: an inherited value (a polluted prototype) is not an input.
  for (const key of INPUT_KEYS) raw[key] = !Object.hasOwn(news, key) || news[key] === null ? undefined : news[key];
  const unknownKeys = INPUT_KEYS.filter((k) => isUnknown(raw[k]));
  const known = stripUndefined(Object.fromEntries(INPUT_KEYS.filter((k) => !isUnknown(raw[k])).map((k) => [k, raw[k]])));

  const mask = Object.fromEntries(unknownKeys.map((k) => [k, true])) as Record<(typeof INPUT_KEYS)[number], true>;
  const parsed = registryEndpointInputsSchema.partial(mask).safeParse(known);
  const invalid = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const property = issue.path.length > 0 ? issue.path.map(String).join(".") : "name";
      invalid.add(String(issue.path[0] ?? property));
      const key = String(issue.path[0] ?? "");
      // zod 4 does not report the input on issues; a missing key is read from the parsed object itself.
      fail(property, key !== "" && known[key] === undefined ? "is required" : issue.message);
    }
  }

  const inputs: Record<string, unknown> = { ...raw };
  const ok = (k: string) => !invalid.has(k) && !isUnknown(raw[k]);
  for (const k of OPTIONAL_TEXT_KEYS) inputs[k] = emptyToUndefined(raw[k]);
  if (ok("providerName") && typeof raw.providerName === "string") inputs.providerName = canonicalProviderName(raw.providerName);
  const providerKnown = ok("providerName") && typeof inputs.providerName === "string";
  const provider = inputs.providerName as RegistryProviderType;

  if (ok("endpointUrl") && typeof raw.endpointUrl === "string") {
    const n = normaliseEndpointUrl(raw.endpointUrl);
    if (!n.ok) {
      invalid.add("endpointUrl");
      fail("endpointUrl", n.reason);
    } else {
      inputs.endpointUrl = providerKnown ? harborStoredUrl(provider, n.url) : n.url;
      const fixed = providerKnown ? FIXED_ENDPOINTS[provider] : undefined;
      if (fixed !== undefined && n.url !== fixed) {
        invalid.add("endpointUrl");
        fail("endpointUrl", `must be ${fixed} for ${provider}, whose endpoint is fixed by Harbor (or leave it unset)`);
      }
    }
  } else if (raw.endpointUrl === undefined && providerKnown) {
    const fixed = FIXED_ENDPOINTS[provider];
    if (fixed !== undefined) inputs.endpointUrl = fixed;
    else {
      invalid.add("endpointUrl");
      fail("endpointUrl", `is required for ${provider} and must start with http:// or https://`);
    }
  }

  const columnInputs = Object.fromEntries(COLUMN_CHECKED_KEYS.filter(ok).map((k) => [k, inputs[k]]));
  for (const f of checkHarborColumns(columnInputs)) {
    invalid.add(f.property);
    fail(f.property, f.reason);
  }

  if (ok("caCertificate") && typeof inputs.caCertificate === "string") {
    const reason = checkCaCertificate(inputs.caCertificate);
    if (reason !== undefined) {
      invalid.add("caCertificate");
      fail("caCertificate", reason);
    }
  }

  if (ok("accessSecret") && inputs.accessSecret === HARBOR_SECRET_PLACEHOLDER) {
    // Harbor would store the mask literally on create and ignore it on update (it means "unchanged" there).
    invalid.add("accessSecret");
    failures.push({
      property: "accessSecret",
      reason: "is Harbor's mask ***** for a stored secret, not a secret: Harbor would store it literally on create and ignore it on update; set the real secret, or leave accessSecret unset",
    });
  }

  const credentialKnown = ["accessId", "accessSecret"].every((k) => !isUnknown(raw[k]) && !invalid.has(k));
  if (providerKnown && credentialKnown) {
    for (const f of checkCredentialShape({
      providerName: provider,
      accessId: inputs.accessId as string | undefined,
      accessSecret: inputs.accessSecret as string | undefined,
      endpointUrl: ok("endpointUrl") && typeof inputs.endpointUrl === "string" ? inputs.endpointUrl : undefined,
    })) {
      invalid.add(f.property);
      fail(f.property, f.reason);
    }
  }

  if (inputs.insecure === undefined) inputs.insecure = false;
  if (inputs.adopt === undefined) inputs.adopt = false;
  if (inputs.connection === undefined) inputs.connection = DEFAULT_CONNECTION;
  const checked = stripUndefined(inputs);

  let via: CheckConnection = ctx;
  if (ctx.connection && ok("connection") && typeof checked.connection === "string") {
    const resolved = ctx.connection(checked.connection);
    if ("failure" in resolved) {
      invalid.add("connection");
      fail("connection", resolved.failure);
    } else {
      via = resolved;
    }
  }
  // Inputs that are already refused are reported alone, without a request (the hostile-input corpus holds check to it).
  if (failures.length === 0 && !isUnknown(checked.connection) && via.verify) {
    const problem = await via.verify();
    if (problem !== undefined) {
      // The fix is in the provider's config (the sentence names the key), not in any input of this endpoint.
      invalid.add("connection");
      fail(HARBOR_CONNECTION_PROBLEM, problem);
    }
  }

  let decision: ConnectionTestDecision = decideConnectionTest(olds ?? {}, checked, ctx.defaultConnectionTest);
  if (decision.reason === "unknown-values") await engineLog().info(unknownValuesSkipMessage(checked), { secrets });
  if (decision.run && failures.length > 0) decision = { run: false, reason: "invalid-inputs" };
  if (decision.run && ctx.testExistingInDiff === true && olds?.providerName !== undefined) decision = { run: false, reason: "in-diff" };
  if (decision.run && ctx.phase === "update" && olds?.providerName === undefined) decision = { run: false, reason: "harbor-health-check" };
  if (decision.run) {
    if (!via.testConnection) {
      fail(
        HARBOR_CONNECTION_PROBLEM,
        `Harbor's connection test cannot run: ${via.unavailableReason ?? "the Harbor connection is not configured"}; configure the provider or set connectionTest to "never"`,
      );
    } else {
      for (const f of await runConnectionTest(via.testConnection, connectionTargetOf(checked))) fail(f.property, f.reason);
    }
  }
  return { inputs: checked, failures, connectionTest: decision };
}

/** The connection-test target of checked inputs (or of state, whose fields carry the same names). */
export function connectionTargetOf(checked: Record<string, unknown>): ConnectionTarget {
  return {
    name: String(checked.name ?? ""),
    providerName: String(checked.providerName),
    endpointUrl: String(checked.endpointUrl),
    accessId: checked.accessId as string | undefined,
    accessSecret: checked.accessSecret as string | undefined,
    insecure: checked.insecure === true,
    caCertificate: checked.caCertificate as string | undefined,
  };
}

/** Runs a connection test; a test that throws is one failure under endpointUrl, and every property is an input key. */
export async function runConnectionTest(
  test: (target: ConnectionTarget) => Promise<ConnectionFailure[]>,
  target: ConnectionTarget,
): Promise<CheckFailure[]> {
  let results: ConnectionFailure[];
  try {
    results = await test(target);
  } catch (e) {
    results = [{ property: "endpointUrl", reason: `the connection test could not run: ${e instanceof Error ? e.message : String(e)}` }];
  }
  return results.map((f) => ({
    property: f.property === HARBOR_CONNECTION_PROBLEM || (INPUT_KEYS as readonly string[]).includes(f.property) ? f.property : "endpointUrl",
    reason: f.reason,
  }));
}

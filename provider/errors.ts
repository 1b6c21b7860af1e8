// The error vocabulary of the package: one class per kind of failure, each branded and redacted at construction.
import { redact } from "./redact";

/** The brand values carried by {@link HarborEndpointsError} subclasses in `errorKind`. */
export type HarborEndpointsErrorKind =
  | "HarborApiError"
  | "HarborNetworkError"
  | "HarborTimeoutError"
  | "HarborResponseShapeError"
  | "ConnectionTestError";

const ERROR_KINDS: ReadonlySet<string> = new Set<HarborEndpointsErrorKind>([
  "HarborApiError",
  "HarborNetworkError",
  "HarborTimeoutError",
  "HarborResponseShapeError",
  "ConnectionTestError",
]);

/** Options every error constructor accepts. */
export interface HarborErrorBaseOptions {
  /** Values that must never appear in the message or any stored string (password, access secret …). */
  secrets?: Iterable<string>;
  /** The underlying error, kept as `cause`. */
  cause?: unknown;
}

/** Where a request went, shared by the errors that describe an HTTP request. */
export interface HarborRequestDescription {
  /** HTTP method, e.g. `"GET"`. */
  method: string;
  /** Request path; the query string is dropped and the rest redacted. */
  path: string;
  /** The `X-Request-Id` Harbor echoed (or the one the client sent). */
  requestId?: string;
}

// Query values can carry anything (names, filters); the path alone identifies the operation.
function cleanPath(path: string, secrets: string[]): string {
  const withoutQuery = path.split(/[?#]/, 1)[0] ?? "";
  return redact(withoutQuery, secrets);
}

function requestIdSuffix(requestId: string | undefined): string {
  return requestId ? ` (request id ${requestId})` : "";
}

// One sentence per message: Harbor's validation messages carry newlines and can be long.
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function stripFinalPeriod(text: string): string {
  return text.replace(/[.\s]+$/, "");
}

/** Common base of every error this package throws; recognise them with the guards, not `instanceof`. */
export abstract class HarborEndpointsError extends Error {
  /** Brand naming the concrete class; stable across copies of this module. */
  abstract readonly errorKind: HarborEndpointsErrorKind;

  protected constructor(message: string, options: HarborErrorBaseOptions) {
    const secrets = [...(options.secrets ?? [])];
    super(redact(message, secrets), options.cause === undefined ? undefined : { cause: options.cause });
    // `secrets` must not be kept on the instance: util.inspect and loggers would print it.
  }
}

/** Options of {@link HarborApiError}. */
export interface HarborApiErrorOptions extends HarborErrorBaseOptions, HarborRequestDescription {
  /** HTTP status Harbor answered. */
  status: number;
  /** Harbor error code of the first entry of `{"errors":[…]}`; `"UNKNOWN"` when absent. */
  code?: string;
  /** Every `message` of Harbor's error envelope, in order. */
  messages?: string[];
  /** Replaces the default advice for the status. */
  hint?: string;
  /** Whether the body was Harbor's `{"errors":[…]}` envelope (false for a proxy's page or an empty body). */
  harborEnvelope?: boolean;
  /** How many attempts were made (more than 1 when earlier ones were refused with 429 and retried). */
  attempts?: number;
}

/** The default advice for a Harbor answer, one clause without a final period. */
export function harborApiErrorHint(status: number, code: string, messages: readonly string[]): string {
  const joined = messages.join(" ").toLowerCase();
  if (status === 400 && joined.includes("unhealthy")) {
    return "Harbor could not reach the remote registry with these settings; check its URL, credentials and TLS options from the Harbor host";
  }
  if (status === 400) return "Correct the value Harbor names and try again";
  if (status === 401) {
    return "Check harbor:username and harbor:password (or HARBOR_USERNAME/HARBOR_PASSWORD); Harbor treats wrong credentials as anonymous";
  }
  if (status === 403 && (code === "DENIED" || joined.includes("read only"))) {
    return "Harbor is in read-only mode; ask a Harbor administrator to turn it off";
  }
  if (status === 403) {
    return "The user (or robot account) lacks the system permission for this call; robot accounts need system-level `registry` permissions";
  }
  // Harbor answers a missing object with its NOT_FOUND envelope; a 404 without one came from something else.
  if (status === 404 && code !== "NOT_FOUND") {
    return "The answer is not Harbor's (no Harbor NOT_FOUND error body): check that harbor:url is Harbor's base URL and not a proxy or a wrong path";
  }
  if (status === 404) return "The object does not exist in Harbor; it may have been deleted outside Pulumi";
  if (status === 409) {
    // Dynamic providers cannot `pulumi import`; adopt is this package's way to take an existing endpoint over.
    return "A registry endpoint with this name already exists in Harbor; choose another name, delete the existing endpoint in Harbor, or (when creating) set `adopt: true` on the RegistryEndpoint to take it over";
  }
  if (status === 412) {
    return "The registry endpoint is still used by replication policies or proxy-cache projects; remove those references first";
  }
  if (status === 422) return "Harbor rejected the request's shape, which is a bug in pulumi-harbor-endpoints; please report it";
  if (status === 429) return "Harbor is rate limiting requests; wait and retry";
  if (status >= 300 && status < 400) return "Harbor redirected the request; set harbor:url to the final Harbor URL (usually https)";
  if (status >= 500) {
    return "Harbor hides the cause of 5xx answers, so look for this request id in the Harbor core log";
  }
  return "Check the Harbor URL and the request";
}

/** Harbor answered with a non-2xx status; carries Harbor's code, all its messages and the request id. */
export class HarborApiError extends HarborEndpointsError {
  /** @inheritdoc */
  readonly errorKind = "HarborApiError" as const;
  /** HTTP status Harbor answered (404 for a missing object). */
  readonly status: number;
  /** First Harbor error code, or `"UNKNOWN"`. */
  readonly code: string;
  /** All Harbor error messages, redacted. */
  readonly messages: string[];
  /** `X-Request-Id` of the failed request. */
  readonly requestId?: string;
  /** HTTP method. */
  readonly method: string;
  /** Redacted request path without query. */
  readonly path: string;
  /** Whether the body was Harbor's error envelope: without it, the answer may come from a proxy in front of Harbor. */
  readonly harborEnvelope: boolean;
  /** Attempts made; more than 1 means earlier attempts were refused (429) and retried. */
  readonly attempts: number;

  /** Builds the error; the message is redacted with `options.secrets`. */
  constructor(options: HarborApiErrorOptions) {
    const secrets = [...(options.secrets ?? [])];
    const messages = (options.messages ?? []).map((m) => redact(oneLine(m), secrets));
    const code = options.code && options.code.length > 0 ? options.code : "UNKNOWN";
    const path = cleanPath(options.path, secrets);
    const method = options.method.toUpperCase();
    const said = messages.length > 0 ? `: ${stripFinalPeriod(messages.join("; "))}` : "";
    const hint = stripFinalPeriod(options.hint ?? harborApiErrorHint(options.status, code, messages));
    super(
      `${method} ${path} failed: Harbor answered ${options.status} ${code}${said}. ${hint}${requestIdSuffix(options.requestId)}.`,
      { secrets, cause: options.cause },
    );
    this.name = "HarborApiError";
    this.status = options.status;
    this.code = code;
    this.messages = messages;
    this.requestId = options.requestId;
    this.method = method;
    this.path = path;
    this.harborEnvelope = options.harborEnvelope ?? messagesOrCode(options);
    this.attempts = options.attempts ?? 1;
  }
}

function messagesOrCode(options: HarborApiErrorOptions): boolean {
  return (options.messages ?? []).length > 0 || (options.code !== undefined && options.code !== "" && options.code !== "UNKNOWN");
}

/** Options of {@link HarborNetworkError}. */
export interface HarborNetworkErrorOptions extends HarborErrorBaseOptions, HarborRequestDescription {
  /** Node/undici error code of the cause, e.g. `"ECONNREFUSED"`. */
  code?: string;
  /** How many attempts were made. */
  attempts?: number;
  /** Replaces the default advice. */
  hint?: string;
}

// Node/OpenSSL verification codes: the server's certificate is not trusted by what we were told to trust.
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

/** True when a network error code means the server's TLS certificate (Harbor's or a remote registry's) was not trusted. */
export function isTlsVerificationCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODES.has(code);
}

/** No HTTP response arrived (refused, reset, dropped, TLS failure); the original error is `cause`. */
export class HarborNetworkError extends HarborEndpointsError {
  /** @inheritdoc */
  readonly errorKind = "HarborNetworkError" as const;
  /** HTTP method. */
  readonly method: string;
  /** Redacted request path without query. */
  readonly path: string;
  /** `X-Request-Id` the client sent. */
  readonly requestId?: string;
  /** Error code of the cause, when it had one. */
  readonly code?: string;
  /** Attempts made before giving up. */
  readonly attempts: number;

  /** Builds the error; the message is redacted with `options.secrets`. */
  constructor(options: HarborNetworkErrorOptions) {
    const secrets = [...(options.secrets ?? [])];
    const path = cleanPath(options.path, secrets);
    const method = options.method.toUpperCase();
    const attempts = options.attempts ?? 1;
    // Node appends advice after ";" (e.g. "--use-system-ca"); the hint below gives ours instead.
    const cause = options.cause instanceof Error ? oneLine(options.cause.message.split(";", 1)[0] ?? "", 200) : "";
    const what = [options.code, cause].filter((s) => s && s.length > 0).join(": ") || "connection failed";
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    const hint = stripFinalPeriod(
      options.hint ??
        (isTlsVerificationCode(options.code)
          ? "Harbor's TLS certificate is not trusted; set harbor:caCertificate to the PEM of its CA (or, only for tests, harbor:insecure=true)"
          : "Check harbor:url and that Harbor is reachable from this machine"),
    );
    super(`${method} ${path} failed${tries}: no response from Harbor (${stripFinalPeriod(what)}). ${hint}${requestIdSuffix(options.requestId)}.`, {
      secrets,
      cause: options.cause,
    });
    this.name = "HarborNetworkError";
    this.method = method;
    this.path = path;
    this.requestId = options.requestId;
    this.code = options.code;
    this.attempts = attempts;
  }
}

/** Options of {@link HarborTimeoutError}. */
export interface HarborTimeoutErrorOptions extends HarborErrorBaseOptions, HarborRequestDescription {
  /** The per-request timeout that elapsed. */
  timeoutMs: number;
}

/** Harbor did not answer completely within the per-request timeout. */
export class HarborTimeoutError extends HarborEndpointsError {
  /** @inheritdoc */
  readonly errorKind = "HarborTimeoutError" as const;
  /** The per-request timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  /** HTTP method. */
  readonly method: string;
  /** Redacted request path without query. */
  readonly path: string;
  /** `X-Request-Id` the client sent. */
  readonly requestId?: string;

  /** Builds the error; the message is redacted with `options.secrets`. */
  constructor(options: HarborTimeoutErrorOptions) {
    const secrets = [...(options.secrets ?? [])];
    const path = cleanPath(options.path, secrets);
    const method = options.method.toUpperCase();
    super(
      `${method} ${path} timed out after ${options.timeoutMs} ms without a complete answer from Harbor. Check Harbor's load or raise the timeout${requestIdSuffix(options.requestId)}.`,
      { secrets, cause: options.cause },
    );
    this.name = "HarborTimeoutError";
    this.timeoutMs = options.timeoutMs;
    this.method = method;
    this.path = path;
    this.requestId = options.requestId;
  }
}

/** Options of {@link HarborResponseShapeError}. */
export interface HarborResponseShapeErrorOptions extends HarborErrorBaseOptions, HarborRequestDescription {
  /** Client operation, e.g. `"getRegistry"`. */
  operation: string;
  /** HTTP status of the response. */
  status: number;
  /** Where the body (or header) went wrong, e.g. `"credential.access_key"` or `"Location header"`. */
  issuePath: string;
  /** What was wrong there, without the value itself. */
  problem: string;
}

/** A 2xx answer whose body (or required header) does not have the shape the Harbor API defines. */
export class HarborResponseShapeError extends HarborEndpointsError {
  /** @inheritdoc */
  readonly errorKind = "HarborResponseShapeError" as const;
  /** Client operation that received the answer. */
  readonly operation: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** Path of the first offending field. */
  readonly issuePath: string;
  /** HTTP method. */
  readonly method: string;
  /** Redacted request path without query. */
  readonly path: string;
  /** `X-Request-Id` of the answer. */
  readonly requestId?: string;

  /** Builds the error; the message is redacted with `options.secrets`. */
  constructor(options: HarborResponseShapeErrorOptions) {
    const secrets = [...(options.secrets ?? [])];
    const path = cleanPath(options.path, secrets);
    const method = options.method.toUpperCase();
    const where = options.issuePath.length > 0 ? options.issuePath : "(root)";
    super(
      `${options.operation} (${method} ${path}) got a ${options.status} answer whose ${where} is invalid (${stripFinalPeriod(oneLine(options.problem, 200))}). Check that harbor:url points at Harbor 2.x and not at a proxy or another service${requestIdSuffix(options.requestId)}.`,
      { secrets, cause: options.cause },
    );
    this.name = "HarborResponseShapeError";
    this.operation = options.operation;
    this.status = options.status;
    this.issuePath = redact(where, secrets);
    this.method = method;
    this.path = path;
    this.requestId = options.requestId;
  }
}

/** Options of {@link ConnectionTestError}. */
export interface ConnectionTestErrorOptions extends HarborErrorBaseOptions {
  /** The input key at fault, e.g. `"accessSecret"` or `"endpointUrl"`. */
  field: string;
  /** One sentence saying what the remote registry answered and what to do. */
  reason: string;
}

/** The remote registry refused the connection test; names the input key at fault. */
export class ConnectionTestError extends HarborEndpointsError {
  /** @inheritdoc */
  readonly errorKind = "ConnectionTestError" as const;
  /** The input key at fault. */
  readonly field: string;
  /** Redacted reason. */
  readonly reason: string;

  /** Builds the error; the message and reason are redacted with `options.secrets`. */
  constructor(options: ConnectionTestErrorOptions) {
    const secrets = [...(options.secrets ?? [])];
    const reason = redact(oneLine(options.reason, 500), secrets);
    super(`Connection test failed at ${options.field}: ${stripFinalPeriod(reason)}.`, { secrets, cause: options.cause });
    this.name = "ConnectionTestError";
    this.field = options.field;
    this.reason = reason;
  }
}

function hasKind(e: unknown, kind: string): boolean {
  return typeof e === "object" && e !== null && (e as { errorKind?: unknown }).errorKind === kind;
}

/** True when `e` is a {@link HarborApiError} (brand check, works across module copies). */
export function isHarborApiError(e: unknown): e is HarborApiError {
  return hasKind(e, "HarborApiError");
}

/** True when `e` is a {@link HarborNetworkError}. */
export function isHarborNetworkError(e: unknown): e is HarborNetworkError {
  return hasKind(e, "HarborNetworkError");
}

/** True when `e` is a {@link HarborTimeoutError}. */
export function isHarborTimeoutError(e: unknown): e is HarborTimeoutError {
  return hasKind(e, "HarborTimeoutError");
}

/** True when `e` is a {@link HarborResponseShapeError}. */
export function isHarborResponseShapeError(e: unknown): e is HarborResponseShapeError {
  return hasKind(e, "HarborResponseShapeError");
}

/** True when `e` is a {@link ConnectionTestError}. */
export function isConnectionTestError(e: unknown): e is ConnectionTestError {
  return hasKind(e, "ConnectionTestError");
}

/** True when `e` is any error of this package. */
export function isHarborEndpointsError(e: unknown): e is HarborEndpointsError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { errorKind?: unknown }).errorKind === "string" &&
    ERROR_KINDS.has((e as { errorKind: string }).errorKind)
  );
}

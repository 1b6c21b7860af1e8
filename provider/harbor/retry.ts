// Retry policy of the Harbor client: which requests may be repeated, and how long to wait before the next attempt.

/** Time source of the client; tests pass a fake one so retry waits take no real time. */
export interface HarborClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: HarborClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** How often and how patiently idempotent requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts at most). Default 4. */
  retries: number;
  /** Backoff ceiling of the first retry in milliseconds; doubles per retry. Default 250. */
  baseDelayMs: number;
  /** Upper bound of the backoff ceiling in milliseconds. Default 8000. */
  maxDelayMs: number;
}

/** Defaults used by `HarborClient`. */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({ retries: 4, baseDelayMs: 250, maxDelayMs: 8000 });

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Which failures of a request are retried:
 * - `idempotent` (GET, HEAD, PUT, DELETE): 429, 502, 503, 504 and dropped connections; repeating it changes nothing more.
 * - `no-side-effects` (`POST /registries/ping`, which never writes): 429, 503 and dropped connections. Not 502/504:
 *   a gateway that gave up on a slow health check would only be made to wait for it again.
 * - `refusals` (every other POST, i.e. `POST /registries`): 429 only, the one answer that proves the request was
 *   refused unprocessed. Anything else may have been applied, so it is reconciled by the caller, never repeated.
 */
export type HarborRetryClass = "idempotent" | "no-side-effects" | "refusals";

/** True for methods whose repetition cannot create a second object; POST never is. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** The retry class of a method when the request names none. */
export function defaultRetryClass(method: string): HarborRetryClass {
  return isIdempotentMethod(method) ? "idempotent" : "refusals";
}

/** True for statuses that say "try again later": 429, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Whether a request of `retryClass` is retried after answer `status`. */
export function retriesStatus(retryClass: HarborRetryClass, status: number): boolean {
  if (retryClass === "idempotent") return RETRYABLE_STATUS.has(status);
  if (retryClass === "no-side-effects") return status === 429 || status === 503;
  return status === 429;
}

/** Whether a request of `retryClass` is retried after a dropped connection (never after a timeout). */
export function retriesNetworkErrors(retryClass: HarborRetryClass): boolean {
  return retryClass !== "refusals";
}

/** Backoff ceiling before retry number `retryIndex` (0-based): `min(maxDelayMs, baseDelayMs * 2^retryIndex)`. */
export function backoffCeilingMs(retryIndex: number, policy: RetryPolicy): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, retryIndex);
  return Math.min(policy.maxDelayMs, Number.isFinite(exponential) ? exponential : policy.maxDelayMs);
}

/** Full-jitter backoff: a uniform draw in `[0, ceiling]` (AWS "Exponential Backoff and Jitter"). */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(r * backoffCeilingMs(retryIndex, policy));
}

/** Longest `Retry-After` the client will wait; a server asking for more still gets retried after this. */
export function retryAfterCapMs(policy: RetryPolicy): number {
  return policy.maxDelayMs * 4;
}

/**
 * Parses a `Retry-After` header (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into milliseconds from `nowMs`.
 * Returns `undefined` when absent or unparseable; a date in the past gives 0.
 */
export function parseRetryAfterMs(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only IMF-fixdate-like dates (they contain a letter and a colon); Date.parse accepts too much otherwise.
  if (!/[a-z]/i.test(text) || !text.includes(":")) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Inputs of {@link nextRetryDelayMs}. */
export interface RetryDelayInput {
  /** 0 for the first retry. */
  retryIndex: number;
  policy: RetryPolicy;
  /** Raw `Retry-After` header of the failed answer, if any. */
  retryAfter?: string | string[];
  nowMs: number;
  random?: () => number;
}

/** The wait before the next attempt: `Retry-After` (capped at {@link retryAfterCapMs}) when given, else full-jitter backoff. */
export function nextRetryDelayMs(input: RetryDelayInput): number {
  const asked = parseRetryAfterMs(input.retryAfter, input.nowMs);
  if (asked !== undefined) return Math.min(asked, retryAfterCapMs(input.policy));
  return backoffDelayMs(input.retryIndex, input.policy, input.random);
}

// HTTP transport to Harbor: pooled undici connections, TLS, basic auth, request ids, timeouts, retries, error mapping.
import { randomUUID } from "node:crypto";
import { rootCertificates } from "node:tls";
import { Pool } from "undici";
import type { z } from "zod";
import {
  HarborApiError,
  HarborNetworkError,
  HarborResponseShapeError,
  HarborTimeoutError,
  isTlsVerificationCode,
} from "../errors";
import { redactUrl } from "../redact";
import { parseHarborErrors } from "./models";
import { HarborClock, HarborRetryClass, RetryPolicy, defaultRetryClass, retriesNetworkErrors, retriesStatus, nextRetryDelayMs } from "./retry";

/** HTTP methods the transport sends. */
export type HarborHttpMethod = "GET" | "HEAD" | "PUT" | "DELETE" | "POST";

/** Settings of a {@link HarborTransport}. */
export interface HarborTransportOptions {
  /** Harbor base URL; `/api/v2.0` is appended unless the path already ends with it. */
  url: string;
  username: string;
  password: string;
  /** Skip TLS verification (explicit opt-in only). */
  insecure: boolean;
  /** PEM bundle trusted in addition to the system roots. */
  caCertificate?: string;
  /** Allow plain `http://` to a Harbor that is not on this machine (explicit opt-in only). */
  allowHttp?: boolean;
  timeoutMs: number;
  retry: RetryPolicy;
  connections: number;
  clock: HarborClock;
  random?: () => number;
}

/** One logical request; `path` is relative to the API base (e.g. `/registries/7`). */
export interface HarborRequest {
  /** Client operation name, used in shape errors. */
  operation: string;
  method: HarborHttpMethod;
  path: string;
  /** Query parameters; values are percent-encoded by the transport. */
  query?: Record<string, string | number | undefined>;
  /** JSON body. */
  body?: unknown;
  /** Extra secrets of this request (e.g. access secrets in the body) to redact from any error. */
  secrets?: string[];
  /** Which failures may be retried; default by method: `idempotent` for GET/HEAD/PUT/DELETE, `refusals` for POST. */
  retry?: HarborRetryClass;
  /** Advice for an error answer replacing the default one (undefined keeps the default), e.g. per adapter type. */
  hint?: (status: number, code: string, messages: readonly string[]) => string | undefined;
  /**
   * What Harbor answers on success: `json` (200 with an application/json body; the default for GET) or `empty`
   * (`status`, default 200, with no body; the default for other methods). Any other 2xx is a
   * {@link HarborResponseShapeError}: a proxy's 200 page must never pass for Harbor's answer.
   */
  answer?: { body: "json" | "empty"; status?: number };
}

/** A 2xx answer. */
export interface HarborResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  requestId: string;
  /** Full request path including the API base, for error messages. */
  path: string;
}

/**
 * Whether `hostname` (as WHATWG URL spells it: IPv6 in brackets, IPv4 normalised) names this machine: `localhost`,
 * `*.localhost`, 127.0.0.0/8 or ::1 (also IPv4-mapped). Plain HTTP there never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^127(\.\d{1,3}){3}$/.test(host)) return true;
  if (host === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(host)) return true;
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
  if (mapped === undefined) return false;
  if (/^127(\.\d{1,3}){3}$/.test(mapped)) return true;
  // WHATWG writes the mapped address in hex: ::ffff:7f00:1 is 127.0.0.1.
  return /^7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(mapped);
}

/** Why plain HTTP to `url` is refused without the opt-in, or undefined when it is https or loopback. */
export function plainHttpRefusal(url: string, allowed: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" || allowed || isLoopbackHost(parsed.hostname)) return undefined;
  return `uses plain http:// to ${parsed.host}, which is not this machine, so the Harbor password and every access secret would cross the network unencrypted; use https://, or set harbor:allowHttp to true (HARBOR_ALLOW_HTTP) to accept that`;
}

/** Splits a Harbor URL into its origin and API base path. */
export function resolveHarborBase(url: string): { origin: string; basePath: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Harbor URL ${redactUrl(url)} is not an absolute URL; use e.g. https://harbor.example.com.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`Harbor URL ${redactUrl(url)} must use http or https.`);
  }
  let path = parsed.pathname.replace(/\/+$/, "");
  if (!/\/api\/v2\.0$/.test(path)) path = `${path}/api/v2.0`;
  return { origin: parsed.origin, basePath: path };
}

function encodeQuery(query: Record<string, string | number | undefined> | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

// undici wraps some failures; the innermost specific code (e.g. a TLS verification code) is the useful one.
const GENERIC_CODES = new Set(["UND_ERR_SOCKET", "UND_ERR_CONNECT", "UND_ERR_ABORTED", "ABORT_ERR"]);

function errorCode(error: unknown): string | undefined {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code.length > 0) codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes.find((c) => !GENERIC_CODES.has(c)) ?? codes[0];
}

/**
 * How many 429 refusals one request accepts before it gives up: more than the ordinary retries, because a refused
 * request changed nothing and a rate-limited Harbor under a large `pulumi up` refuses often. Each waits Retry-After.
 */
export const MAX_RATE_LIMIT_REFUSALS = 12;

// A closed client or a rejected argument fails the same way every time.
const FINAL_CODES = new Set(["UND_ERR_CLOSED", "UND_ERR_DESTROYED", "UND_ERR_INVALID_ARG", "ERR_INVALID_URL"]);

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Talks HTTP to one Harbor; every failure leaves as one of the package's error classes. */
export class HarborTransport {
  /** API base path on the origin, e.g. `/api/v2.0`. */
  readonly basePath: string;
  /** Harbor origin, e.g. `https://harbor.example.com`. */
  readonly origin: string;
  private readonly pool: Pool;
  private readonly authorization: string;
  private readonly secrets: string[];
  /** Clock time before which no request is sent, set by a 429's Retry-After (or backoff). */
  private pausedUntil = 0;

  /** Opens no connection yet; the pool connects lazily. */
  constructor(private readonly options: HarborTransportOptions) {
    const { origin, basePath } = resolveHarborBase(options.url);
    const refusal = plainHttpRefusal(options.url, options.allowHttp === true);
    if (refusal) throw new TypeError(`Harbor URL ${redactUrl(options.url)} ${refusal}.`);
    this.origin = origin;
    this.basePath = basePath;
    // Basic auth works for local users and robot accounts alike; `$` in "robot$name" needs no escaping.
    const token = Buffer.from(`${options.username}:${options.password}`, "utf8").toString("base64");
    this.authorization = `Basic ${token}`;
    this.secrets = [options.password, token, this.authorization].filter((s) => s.length > 0);
    const connect: { rejectUnauthorized: boolean; ca?: string[]; timeout: number } = {
      rejectUnauthorized: !options.insecure,
      timeout: Math.min(options.timeoutMs, 10_000),
    };
    // Node's `ca` replaces the default roots; keep them so a public Harbor still verifies with a custom CA set.
    if (options.caCertificate && options.caCertificate.trim() !== "") connect.ca = [...rootCertificates, options.caCertificate];
    this.pool = new Pool(origin, { connections: options.connections, connect, keepAliveTimeout: 4_000 });
  }

  /**
   * Sends `request`, retrying what its retry class allows (see {@link HarborRetryClass}); resolves only on the 2xx
   * Harbor sends for it.
   */
  async send(request: HarborRequest): Promise<HarborResponse> {
    const secrets = [...this.secrets, ...(request.secrets ?? []).filter((s) => typeof s === "string" && s.length > 0)];
    const path = `${this.basePath}${request.path}`;
    const fullPath = `${path}${encodeQuery(request.query)}`;
    // One id for all attempts, so Harbor's log ties the retries of one call together.
    const requestId = randomUUID();
    const retryClass = request.retry ?? defaultRetryClass(request.method);
    const maxAttempts = this.options.retry.retries + 1;
    const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: this.authorization,
      "x-request-id": requestId,
      "user-agent": "pulumi-harbor-endpoints",
    };
    if (bodyText !== undefined) headers["content-type"] = "application/json";

    let timeouts = 0;
    let refusals = 0;
    for (let attempt = 1; ; attempt++) {
      await this.waitForRateLimit();
      const outcome = await this.attempt(request.method, fullPath, headers, bodyText);
      // A 429 changed nothing, so refusals get their own, larger allowance (see MAX_RATE_LIMIT_REFUSALS).
      const last = attempt - refusals >= maxAttempts || refusals >= MAX_RATE_LIMIT_REFUSALS;
      if (outcome.kind === "timeout") {
        // A timed-out attempt may still be running on Harbor. An idempotent one is repeated once: its late twin cannot
        // change the outcome (a DELETE that lands late answers 404 to nobody), while giving up would leave the state
        // behind Harbor. More repeats would only stack load on a Harbor that is already slow.
        timeouts++;
        if (!last && retryClass === "idempotent" && timeouts < 2) {
          await this.options.clock.sleep(
            nextRetryDelayMs({ retryIndex: attempt - 1, policy: this.options.retry, nowMs: this.options.clock.now(), random: this.options.random }),
          );
          continue;
        }
        throw new HarborTimeoutError({ method: request.method, path, timeoutMs: this.options.timeoutMs, requestId, secrets, cause: outcome.error });
      }
      if (outcome.kind === "network") {
        const code = errorCode(outcome.error);
        if (!last && retriesNetworkErrors(retryClass) && !isTlsVerificationCode(code) && !FINAL_CODES.has(code ?? "")) {
          await this.options.clock.sleep(
            nextRetryDelayMs({ retryIndex: attempt - 1, policy: this.options.retry, nowMs: this.options.clock.now(), random: this.options.random }),
          );
          continue;
        }
        throw new HarborNetworkError({ method: request.method, path, requestId, code, attempts: attempt, secrets, cause: outcome.error });
      }
      const { status, headers: responseHeaders, text } = outcome;
      const answeredId = header(responseHeaders, "x-request-id") ?? requestId;
      if (status >= 200 && status < 300) {
        const response = { status, headers: responseHeaders, text, requestId: answeredId, path };
        this.checkAnswer(request, response);
        return response;
      }
      if (!last && retriesStatus(retryClass, status)) {
        const delay = nextRetryDelayMs({
          retryIndex: attempt - 1 - refusals,
          policy: this.options.retry,
          retryAfter: responseHeaders["retry-after"],
          nowMs: this.options.clock.now(),
          random: this.options.random,
        });
        if (status === 429) {
          refusals++;
          // Harbor (or its gateway) asked this client to slow down, not just this request: every request of the
          // client waits, so the pool does not come back all at once and be refused again.
          this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + delay);
          continue;
        }
        await this.options.clock.sleep(delay);
        continue;
      }
      const envelope = parseHarborErrors(text);
      throw new HarborApiError({
        status, code: envelope.code, messages: envelope.messages, harborEnvelope: envelope.harbor, method: request.method, path,
        requestId: answeredId, attempts: attempt, secrets,
        hint: envelope.harbor ? request.hint?.(status, envelope.code ?? "UNKNOWN", envelope.messages ?? []) : undefined,
      });
    }
  }

  /** Waits while a 429 paused the client, then a random share of a base delay, so waiters do not resume in one burst. */
  private async waitForRateLimit(): Promise<void> {
    for (let wait = this.pausedUntil - this.options.clock.now(); wait > 0; wait = this.pausedUntil - this.options.clock.now()) {
      const spread = Math.round((this.options.random ?? Math.random)() * this.options.retry.baseDelayMs);
      await this.options.clock.sleep(wait + spread);
    }
  }

  /** Throws a {@link HarborResponseShapeError} when a 2xx is not the answer Harbor sends for `request`. */
  private checkAnswer(request: HarborRequest, response: HarborResponse): void {
    const expected = request.answer ?? { body: request.method === "GET" ? "json" : "empty" };
    const status = expected.status ?? 200;
    const type = header(response.headers, "content-type");
    const media = (type ?? "").split(";", 1)[0]!.trim().toLowerCase();
    if (response.status !== status) {
      throw this.shapeError(request, response, "status", `Harbor answers this call with ${status}, not ${response.status}`);
    }
    if (expected.body === "empty") {
      // go-swagger's responders for these calls write no body (and remove the Content-Type).
      if (response.text.trim() !== "") {
        throw this.shapeError(request, response, "body", `Harbor sends no body for this call, but this answer has ${Buffer.byteLength(response.text)} bytes${media ? ` of ${media}` : ""}`);
      }
      return;
    }
    if (media !== "application/json" && !media.endsWith("+json")) {
      throw this.shapeError(request, response, "Content-Type header", `it is ${media || "missing"}, not application/json`);
    }
  }

  /** Sends `request` and parses the 2xx JSON body with `schema`; a mismatch is a {@link HarborResponseShapeError}. */
  async sendJson<S extends z.ZodType>(request: HarborRequest, schema: S): Promise<{ data: z.infer<S>; response: HarborResponse }> {
    const response = await this.send(request);
    return { data: this.parseBody(request, response, schema), response };
  }

  /** Parses a 2xx body with `schema`, naming the first offending field (never its value) on failure. */
  parseBody<S extends z.ZodType>(request: HarborRequest, response: HarborResponse, schema: S): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch {
      throw this.shapeError(request, response, "body", "it is not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw this.shapeError(request, response, issue ? issue.path.map(String).join(".") : "", issue ? issue.message : "schema mismatch");
    }
    return parsed.data;
  }

  /** Closes pooled connections; in-flight requests finish first. */
  async close(): Promise<void> {
    if (!this.pool.closed) await this.pool.close();
  }

  /** Builds a shape error for a 2xx answer whose header is missing or malformed. */
  headerShapeError(request: HarborRequest, response: HarborResponse, issuePath: string, problem: string): HarborResponseShapeError {
    return this.shapeError(request, response, issuePath, problem);
  }

  private shapeError(request: HarborRequest, response: HarborResponse, issuePath: string, problem: string): HarborResponseShapeError {
    return new HarborResponseShapeError({
      operation: request.operation,
      method: request.method,
      path: response.path,
      status: response.status,
      requestId: response.requestId,
      issuePath,
      problem,
      secrets: [...this.secrets, ...(request.secrets ?? [])],
    });
  }

  private async attempt(
    method: HarborHttpMethod,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<
    | { kind: "response"; status: number; headers: Record<string, string | string[] | undefined>; text: string }
    | { kind: "network"; error: unknown }
    | { kind: "timeout"; error: unknown }
  > {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await this.pool.request({
        method,
        path,
        headers,
        body,
        signal: controller.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        // Explicit, so undici never replays a POST on a fresh connection after a reset: retries are ours alone.
        idempotent: method !== "POST",
      });
      const text = await response.body.text();
      return { kind: "response", status: response.statusCode, headers: response.headers as Record<string, string | string[] | undefined>, text };
    } catch (error) {
      if (timedOut || TIMEOUT_CODES.has(errorCode(error) ?? "")) return { kind: "timeout", error };
      return { kind: "network", error };
    } finally {
      clearTimeout(timer);
    }
  }
}

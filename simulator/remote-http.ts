// Outgoing HTTP of the simulator's health checks: origin overrides, the offline guard, TLS options, timeouts, redirects.
import * as http from "node:http";
import * as https from "node:https";

/** TLS and routing settings for requests to one remote registry. */
export interface RemoteHttpOptions {
  /** Origin → origin replacements (the simulator's `remoteOverrides`). */
  overrides: Record<string, string>;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Skip TLS verification (ignored when `caCertificate` is set, as in Harbor). */
  insecure: boolean;
  /** PEM bundle: when non-empty, only these CAs are trusted. */
  caCertificate: string;
}

/** A received response (body capped at 1 MiB). */
export interface RemoteResponse {
  /** HTTP status. */
  status: number;
  /** Response headers, names lower-cased. */
  headers: http.IncomingHttpHeaders;
  /** Body text. */
  body: string;
}

/** Thrown when no response arrived (refused, DNS, TLS, timeout, or an internet host with no override). */
export class RemoteUnreachableError extends Error {
  /** @param message - Why no response arrived (never holds a secret). */
  constructor(message: string) {
    super(message);
    this.name = "RemoteUnreachableError";
  }
}

/**
 * Hosts of public clouds Harbor contacts for fixed-URL adapters. The simulator never sends traffic there: without a
 * `remoteOverrides` entry such a request fails as if offline, so no test silently depends on the internet.
 */
const INTERNET_HOST_SUFFIXES = [
  "docker.io", "docker.com", "ghcr.io", "gcr.io", "pkg.dev", "amazonaws.com", "amazonaws.com.cn", "aliyuncs.com",
  "tencentcloudcr.com", "tencentcloudapi.com", "volces.com", "ivolces.com", "volcengineapi.com", "quay.io", "azurecr.io",
  "sgov.gov", "ic.gov",
];

function isInternetHost(host: string): boolean {
  const h = host.toLowerCase();
  return INTERNET_HOST_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}

function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin.replace(/\/+$/, "");
  }
}

/** Applies the origin overrides to a URL. */
export function applyOverrides(url: string, overrides: Record<string, string>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const [from, to] of Object.entries(overrides)) {
    if (normaliseOrigin(from) === parsed.origin) {
      const target = new URL(to);
      parsed.protocol = target.protocol;
      parsed.host = target.host;
      return parsed.toString();
    }
  }
  return url;
}

/** Whether an origin has an override. */
export function hasOverride(origin: string, overrides: Record<string, string>): boolean {
  const o = normaliseOrigin(origin);
  return Object.keys(overrides).some((k) => normaliseOrigin(k) === o);
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  opts: RemoteHttpOptions,
): Promise<RemoteResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === "https:";
    const tls: https.RequestOptions = {};
    if (isHttps) {
      if (opts.caCertificate !== "") {
        // Harbor builds a transport trusting only the given bundle; `insecure` is then ignored.
        tls.ca = opts.caCertificate;
        tls.rejectUnauthorized = true;
      } else {
        tls.rejectUnauthorized = !opts.insecure;
      }
    }
    const reqHeaders: Record<string, string> = { "user-agent": "harbor-registry-client", ...headers };
    if (body !== undefined) reqHeaders["content-length"] = String(Buffer.byteLength(body));
    const req = (isHttps ? https : http).request(
      url,
      { method, headers: reqHeaders, agent: false, signal: AbortSignal.timeout(opts.timeoutMs), ...tls },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= 1 << 20) chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => reject(new RemoteUnreachableError(e.message)));
      },
    );
    req.on("error", (e) => reject(new RemoteUnreachableError(e.message)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Sends one request like Go's http.Client: overrides applied, redirects followed (Authorization dropped across hosts). */
export async function remoteRequest(
  method: string,
  url: string,
  opts: RemoteHttpOptions,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RemoteResponse> {
  let target = applyOverrides(url, opts.overrides);
  let hdrs = { ...headers };
  for (let hop = 0; hop <= 10; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(target);
    } catch {
      throw new RemoteUnreachableError("invalid URL");
    }
    if (isInternetHost(parsed.hostname)) throw new RemoteUnreachableError(`no network route to ${parsed.hostname} in the simulator`);
    const res = await once(parsed, method, hdrs, body, opts);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location && method === "GET") {
      const next = new URL(location, parsed);
      if (next.host !== parsed.host) {
        const { authorization: _dropped, ...rest } = hdrs;
        hdrs = rest;
      }
      target = applyOverrides(next.toString(), opts.overrides);
      continue;
    }
    return res;
  }
  throw new RemoteUnreachableError("stopped after 10 redirects");
}

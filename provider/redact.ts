// The one place that knows what is secret: scrubs secret values, credentials in URLs and Authorization values from text.

/** What every redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

// A secret can reach text verbatim or percent-encoded (inside a URL or query string).
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  try {
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURIComponent(secret).replace(/%20/g, "+"));
  } catch {
    // A lone surrogate cannot be percent-encoded; the verbatim form is still removed.
  }
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// `scheme://user:password@host`: everything between "//" and the last "@" of the authority is user-info.
const URL_USER_INFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi;
// `Authorization: <value>` in header dumps, `"authorization":"<value>"` in JSON, `authorization=<value>` in logs.
const AUTHORIZATION_VALUE = /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi;
// A bare scheme + token, e.g. "Basic YWRtaW46SGFyYm9yMTIzNDU=" or "Bearer eyJhbGciOi...".
const SCHEME_TOKEN = /\b(Basic|Bearer)(\s+)([A-Za-z0-9+/._~-]+=*)/g;
// JSON fields and query parameters whose names say they hold a secret.
const SECRET_JSON_FIELD = /("(?:access_secret|password|secret|token|access_token|refresh_token|client_secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;
const SECRET_QUERY_PARAM = /([?&](?:access_secret|password|secret|token|access_token|client_secret)=)[^&\s#"']*/gi;

// Prose such as "Basic authentication" must survive; tokens carry a digit or symbol, or are long.
function looksLikeToken(token: string): boolean {
  if (token.length < 6) return false;
  return /[0-9+/=._~-]/.test(token) || token.length >= 20;
}

/**
 * Returns `text` with every known secret value, URL user-info, `Authorization` header value and
 * `Basic`/`Bearer` token replaced by `[REDACTED]`.
 *
 * @param text - any text that may end up in an error message, log line or output.
 * @param secrets - values known to be secret (passwords, access secrets); empty strings are ignored.
 */
export function redact(text: string, secrets?: Iterable<string>): string {
  let out = String(text);
  const known = new Set<string>();
  for (const secret of secrets ?? []) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    for (const form of secretForms(secret)) known.add(form);
  }
  // Longest first, so a secret that contains another secret is removed whole.
  for (const form of [...known].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escapeRegExp(form), "g"), REDACTED);
  }
  out = out.replace(URL_USER_INFO, `$1${REDACTED}@`);
  out = out.replace(AUTHORIZATION_VALUE, `$1${REDACTED}`);
  out = out.replace(SCHEME_TOKEN, (match, scheme: string, space: string, token: string) =>
    token === REDACTED.slice(1, -1) || !looksLikeToken(token) ? match : `${scheme}${space}${REDACTED}`,
  );
  out = out.replace(SECRET_JSON_FIELD, (match, head: string, value: string, tail: string) =>
    value === "*****" || value === REDACTED ? match : `${head}${REDACTED}${tail}`,
  );
  out = out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  return out;
}

/**
 * Returns `url` without user-info and without the values of query parameters, so it can be shown to a person.
 * Text that is not a URL is returned through {@link redact}.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redact(url);
  }
  const hadUserInfo = parsed.username !== "" || parsed.password !== "";
  parsed.username = "";
  parsed.password = "";
  for (const key of [...new Set(parsed.searchParams.keys())]) parsed.searchParams.set(key, REDACTED);
  let text = parsed.toString().replace(/%5BREDACTED%5D/g, REDACTED);
  if (hadUserInfo) text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, `$1${REDACTED}@`);
  return redact(text);
}

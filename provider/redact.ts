// The one place that knows what is secret: scrubs secret values, credentials in URLs and Authorization values from text.

/** What every redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/** What {@link redact} returns if scrubbing itself failed: nothing of the text, so nothing of a secret, leaves. */
export const REDACTION_FAILED = "[REDACTED: the text could not be scrubbed of secrets]";

// A secret can reach text verbatim, percent-encoded (inside a URL or query string) or JSON-escaped (inside a body).
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  try {
    const encoded = encodeURIComponent(secret);
    forms.add(encoded);
    forms.add(encoded.replace(/%20/g, "+"));
  } catch {
    // A lone surrogate cannot be percent-encoded; the verbatim form is still removed.
  }
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms];
}

/**
 * Start and end (exclusive) of every occurrence of `pattern` in `text`, overlapping ones included. Knuth-Morris-Pratt:
 * O(text + pattern) whatever the input, and no regular expression is ever built from a secret (a long one is more than
 * the engine accepts, and its error message would carry the secret).
 */
function occurrences(text: string, pattern: string, into: [number, number][]): void {
  const m = pattern.length;
  if (m === 0 || m > text.length) return;
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) k = fail[k - 1]!;
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) k++;
    fail[i] = k;
  }
  for (let i = 0, k = 0; i < text.length; i++) {
    while (k > 0 && text.charCodeAt(i) !== pattern.charCodeAt(k)) k = fail[k - 1]!;
    if (text.charCodeAt(i) === pattern.charCodeAt(k)) k++;
    if (k === m) {
      into.push([i - m + 1, i + 1]);
      k = fail[k - 1]!;
    }
  }
}

/** Replaces the union of `ranges` with one {@link REDACTED} per connected stretch. */
function replaceRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const parts: string[] = [];
  let cursor = 0;
  let start = ranges[0]![0];
  let end = ranges[0]![1];
  const flush = () => {
    parts.push(text.slice(cursor, start), REDACTED);
    cursor = end;
  };
  for (const [s, e] of ranges) {
    if (s <= end) {
      if (e > end) end = e;
      continue;
    }
    flush();
    start = s;
    end = e;
  }
  flush();
  parts.push(text.slice(cursor));
  return parts.join("");
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

// The characters that end an authority in the text around a URL: white space, "/", "?", "#", quotes and angle brackets.
const AUTHORITY_END = /[\s/?#"'<>]/;

/**
 * `scheme://user:password@host`: everything between "//" and the last "@" of the authority is user-info. A scan from
 * each "://" (back over the scheme, forward over the authority) instead of a regular expression, which would try every
 * letter of a long word as the start of a scheme and take quadratic time.
 */
function urlUserInfoRanges(text: string, into: [number, number][]): void {
  for (let sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", sep + 3)) {
    let start = sep;
    while (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) start--;
    while (start < sep && !isLetter(text.charCodeAt(start))) start++;
    if (start === sep) continue;
    const from = sep + 3;
    let end = from;
    let lastAt = -1;
    while (end < text.length && !AUTHORITY_END.test(text[end]!)) {
      if (text[end] === "@") lastAt = end;
      end++;
    }
    if (lastAt > from) into.push([from, lastAt]);
  }
}

// The patterns below are linear: each starts with a literal, and no unbounded repetition is followed by anything that
// can fail after it except a single character, so a failed start costs at most the run it scanned, which no other
// start scans again.
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

function scrub(text: string, secrets: Iterable<string> | undefined): string {
  const ranges: [number, number][] = [];
  const seen = new Set<string>();
  for (const secret of secrets ?? []) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    for (const form of secretForms(secret)) {
      if (seen.has(form)) continue;
      seen.add(form);
      occurrences(text, form, ranges);
    }
  }
  // Overlapping occurrences are removed as their union, so a secret that contains another is removed whole.
  let out = replaceRanges(text, ranges);
  const userInfo: [number, number][] = [];
  urlUserInfoRanges(out, userInfo);
  out = replaceRanges(out, userInfo);
  out = out.replace(AUTHORIZATION_VALUE, `$1${REDACTED}`);
  out = out.replace(SCHEME_TOKEN, (match, scheme: string, space: string, token: string) =>
    token === REDACTED.slice(1, -1) || !looksLikeToken(token) ? match : `${scheme}${space}${REDACTED}`,
  );
  out = out.replace(SECRET_JSON_FIELD, (match, head: string, value: string, tail: string) =>
    value === "*****" || value === REDACTED ? match : `${head}${REDACTED}${tail}`,
  );
  return out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
}

/**
 * Returns `text` with every known secret value (verbatim, percent-encoded or JSON-escaped), URL user-info,
 * `Authorization` header value and `Basic`/`Bearer` token replaced by `[REDACTED]`. Takes time linear in the text and
 * the secrets, and never throws: should scrubbing fail, it returns {@link REDACTION_FAILED} instead of the text.
 *
 * @param text - any text that may end up in an error message, log line or output.
 * @param secrets - values known to be secret (passwords, access secrets); empty strings are ignored.
 */
export function redact(text: string, secrets?: Iterable<string>): string {
  try {
    return scrub(String(text), secrets);
  } catch {
    return REDACTION_FAILED;
  }
}

/**
 * Returns `url` without user-info and without the values of query parameters, so it can be shown to a person.
 * Text that is not a URL is returned through {@link redact}. Never throws.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redact(url);
  }
  try {
    const hadUserInfo = parsed.username !== "" || parsed.password !== "";
    parsed.username = "";
    parsed.password = "";
    for (const key of [...new Set(parsed.searchParams.keys())]) parsed.searchParams.set(key, REDACTED);
    let text = parsed.toString().replace(/%5BREDACTED%5D/g, REDACTED);
    if (hadUserInfo) text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, `$1${REDACTED}@`);
    return redact(text);
  } catch {
    return REDACTION_FAILED;
  }
}

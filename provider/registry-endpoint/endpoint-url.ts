// Endpoint URL normalisation, mirroring Harbor's lib.ValidateHTTPURL so the stored URL equals the checked input.

/** C0 control characters and DEL, which no URL Harbor accepts may contain. */
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

const CONTROL_CHARACTER_REASON = "must not contain control characters (such as a tab, newline or NUL), raw or percent-escaped";

const USER_INFO_REASON =
  "must not carry user-info (user:password@ before the host): Harbor drops it from the URL, so those credentials would never be used; put the user in accessId and the password in accessSecret";

const INVALID_USER_INFO_REASON =
  'has text before an "@" in its host part that is not valid user-info (Harbor answers 400 "invalid userinfo"), and the host after the "@" would not be the host it seems to name; remove everything up to the "@"';

// Go's validUserinfo (net/url): ASCII letters, digits and -._:~!$&'()*+,;=%@ only; then every "%" must start an escape.
const GO_USER_INFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** Whether Go's url.Parse accepts `userInfo` (the authority before its last "@"). */
export function isValidGoUserInfo(userInfo: string): boolean {
  return GO_USER_INFO.test(userInfo) && !BAD_ESCAPE.test(userInfo);
}

/** A normalised URL, or the reason the input cannot be one (never echoing user-info). */
export type NormalisedUrl = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Normalises an endpoint URL exactly as Harbor stores it (src/lib/endpoint.go): trim spaces, trim every trailing
 * `/`, then `scheme://host` + decoded path; query and fragment are dropped, the scheme is lower-cased (Go's url.Parse)
 * and the host keeps its case and port. Unlike Harbor, a missing scheme is an error (Harbor would silently prefix
 * `http://`, rarely what a user of a TLS registry meant), and so is user-info (Harbor rejects or silently drops it).
 */
export function normaliseEndpointUrl(input: string): NormalisedUrl {
  // Go's url.Parse refuses raw control characters, so Harbor answers 400 for them; catch them here instead.
  if (CONTROL_CHARACTER.test(input)) return { ok: false, reason: CONTROL_CHARACTER_REASON };
  // Go's strings.Trim(s, " ") trims only the space character, not tabs or newlines.
  let s = input.replace(/^ +| +$/g, "").replace(/\/+$/, "");
  if (s.length === 0) return { ok: false, reason: "must not be empty" };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(s);
  if (!m) return { ok: false, reason: "must start with http:// or https://" };
  const scheme = m[1]!.toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    return { ok: false, reason: `must use the http or https scheme, not ${scheme}` };
  }
  s = m[2]!;
  const authorityEnd = s.search(/[/?#]/);
  let authority = authorityEnd < 0 ? s : s.slice(0, authorityEnd);
  const rest = authorityEnd < 0 ? "" : s.slice(authorityEnd);
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    // Never echo the user-info: it is usually a password. Harbor (Go's url.Parse) cuts it at the last "@" and either
    // answers 400 "invalid userinfo" or silently drops it, so it can never be what the user meant.
    return { ok: false, reason: isValidGoUserInfo(authority.slice(0, at)) ? USER_INFO_REASON : INVALID_USER_INFO_REASON };
  }
  if (authority.length === 0) return { ok: false, reason: "must name a host" };
  if (/[\s%<>"{}|\\^`]/.test(authority)) return { ok: false, reason: "has an invalid host" };
  try {
    // WHATWG parsing only validates the host and port; the stored form keeps Harbor's spelling.
    new URL(`${scheme}://${authority}/`);
  } catch {
    return { ok: false, reason: "has an invalid host" };
  }
  // Harbor drops the fragment, but Go's url.Parse still decodes it and answers 400 for a bad escape there.
  const hash = rest.indexOf("#");
  if (hash >= 0 && BAD_ESCAPE.test(rest.slice(hash + 1))) return { ok: false, reason: "has an invalid percent-escape in its fragment (after #)" };
  const pathEnd = rest.search(/[?#]/);
  const rawPath = pathEnd < 0 ? rest : rest.slice(0, pathEnd);
  let path: string;
  try {
    // Go stores url.Path, which is the percent-decoded path.
    path = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: "has an invalid percent-escape in its path" };
  }
  // A percent-escaped control character (%0A) decodes into the path Harbor stores and would break it the same way.
  if (CONTROL_CHARACTER.test(path)) return { ok: false, reason: CONTROL_CHARACTER_REASON };
  return { ok: true, url: `${scheme}://${authority}${path}` };
}

/**
 * Applies the URL rewrite some Harbor adapters perform before storing: ali-acr's factory turns
 * `https://cr.<region>.aliyuncs.com` into `https://registry.<region>.aliyuncs.com` and persists that. Predicting it
 * keeps the checked input equal to what Harbor stores.
 */
export function harborStoredUrl(providerName: string, normalisedUrl: string): string {
  if (providerName !== "ali-acr") return normalisedUrl;
  return normalisedUrl.replace(/^https:\/\/cr\.([\w-]+)\.aliyuncs\.com/, "https://registry.$1.aliyuncs.com");
}

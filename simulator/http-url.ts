// Harbor's lib.ValidateHTTPURL: the URL normalisation whose output Harbor stores, with Go net/url's error texts.

/** Result of {@link validateHttpUrl}: the normalised URL, or Harbor's 400 message. */
export type HttpUrlResult =
  | {
      /** The URL is valid. */
      ok: true;
      /** The normalised URL Harbor stores. */
      url: string;
    }
  | {
      /** The URL is invalid. */
      ok: false;
      /** Harbor's 400 message, e.g. `invalid HTTP scheme: ftp`. */
      message: string;
    };

const HEX = /^[0-9a-fA-F]{2}$/;

const HOST_ALLOWED = /[A-Za-z0-9\-._~!$&'()*+,;=:\[\]<>"]/;

/**
 * Go's url.unescape over the UTF-8 bytes of `s` (Go strings are bytes: a character outside the BMP, an emoji, must
 * reach the result whole): returns the decoded text or the EscapeError text. `host` mode also rejects %XX below 0x80
 * but %25, and ASCII characters Go would escape in a host.
 */
function unescape(s: string, mode: "host" | "path"): { ok: true; value: string } | { ok: false; message: string } {
  const input = Buffer.from(s, "utf8");
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0x25) {
      const hex = input.subarray(i + 1, i + 3).toString("latin1");
      if (!HEX.test(hex)) return { ok: false, message: `invalid URL escape ${goQuote(input.subarray(i, i + 3))}` };
      // Go only allows %25 (zone separator) or non-ASCII escapes inside a host.
      if (mode === "host" && parseInt(hex[0]!, 16) < 8 && hex !== "25") {
        return { ok: false, message: `invalid URL escape ${goQuote(`%${hex}`)}` };
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (mode === "host" && b < 0x80 && !HOST_ALLOWED.test(String.fromCharCode(b))) {
      return { ok: false, message: `invalid character ${goQuote(String.fromCharCode(b))} in host name` };
    }
    bytes.push(b);
  }
  return { ok: true, value: Buffer.from(bytes).toString("utf8") };
}

/** Go's getScheme: scheme, rest, or the "missing protocol scheme" error. */
function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === ":") {
      if (i === 0) return { error: "missing protocol scheme" };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

/** The short escapes strconv.Quote uses for control characters. */
const GO_ESCAPES: Record<string, string> = {
  "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
};

/** The characters of UTF-8 `bytes`, each byte of an invalid sequence standing alone (as Go's range over a string). */
function goRunes(bytes: Buffer): (string | number)[] {
  const out: (string | number)[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = len > 0 ? bytes.subarray(i, i + len) : undefined;
    const text = seq && seq.length === len ? seq.toString("utf8") : undefined;
    if (text !== undefined && !text.includes("\ufffd") && Buffer.byteLength(text) === len) {
      out.push(text);
      i += len;
    } else {
      out.push(b);
      i += 1;
    }
  }
  return out;
}

/** Go's strconv.Quote (what `%q` prints): escapes quotes, backslashes, control and non-printable characters. */
function goQuote(input: string | Buffer): string {
  let out = "";
  for (const ch of typeof input === "string" ? [...input] : goRunes(input)) {
    if (typeof ch === "number") {
      out += `\\x${ch.toString(16).padStart(2, "0")}`;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (GO_ESCAPES[ch] !== undefined) out += GO_ESCAPES[ch];
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `"${out}"`;
}

/** Go url.Parse reduced to what ValidateHTTPURL reads: lower-cased scheme, host (case kept) and decoded path. */
function goParse(raw: string): { scheme: string; host: string; path: string } | { error: string } {
  // url.Parse cuts the fragment first and names only the part before it in parse errors.
  const hash = raw.indexOf("#");
  const noFragment = hash >= 0 ? raw.slice(0, hash) : raw;
  const wrap = (e: string) => ({ error: `parse ${goQuote(noFragment)}: ${e}` });
  // The query is cut before the path is parsed.
  if (/[\x00-\x1f\x7f]/.test(noFragment)) return wrap("net/url: invalid control character in URL");
  const sch = getScheme(noFragment);
  if ("error" in sch) return wrap(sch.error);
  let rest = sch.rest;
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  let host = "";
  if (sch.scheme !== "" && rest.startsWith("//")) {
    const afterSlashes = rest.slice(2);
    const slash = afterSlashes.indexOf("/");
    const authority = slash >= 0 ? afterSlashes.slice(0, slash) : afterSlashes;
    rest = slash >= 0 ? afterSlashes.slice(slash) : "";
    const at = authority.lastIndexOf("@");
    let hostPort = at >= 0 ? authority.slice(at + 1) : authority;
    // Port: Go's validOptionalPort requires digits after the last colon (outside brackets).
    const bracketEnd = hostPort.lastIndexOf("]");
    const colon = hostPort.lastIndexOf(":");
    if (hostPort.startsWith("[")) {
      if (bracketEnd < 0) return wrap("missing ']' in host");
      const after = hostPort.slice(bracketEnd + 1);
      if (after !== "" && !/^:[0-9]*$/.test(after)) return wrap(`invalid port ${goQuote(after)} after host`);
    } else if (colon >= 0) {
      const port = hostPort.slice(colon);
      if (!/^:[0-9]*$/.test(port)) return wrap(`invalid port ${goQuote(port)} after host`);
    }
    const decoded = unescape(hostPort, "host");
    if (!decoded.ok) return wrap(decoded.message);
    host = decoded.value;
    hostPort = host;
    if (at >= 0) {
      // parseAuthority checks the user-info only after the host: Go's validUserinfo, then its percent-escapes.
      const userInfo = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userInfo)) return wrap("net/url: invalid userinfo");
      for (const part of userInfo.includes(":") ? [userInfo.slice(0, userInfo.indexOf(":")), userInfo.slice(userInfo.indexOf(":") + 1)] : [userInfo]) {
        const u = unescape(part, "path");
        if (!u.ok) return wrap(u.message);
      }
    }
  } else if (sch.scheme !== "" && !rest.startsWith("/")) {
    // Opaque URL like "mailto:x": no host, no path.
    return { scheme: sch.scheme.toLowerCase(), host: "", path: "" };
  } else if (sch.scheme === "" && !rest.startsWith("/") && rest.split("/", 1)[0]!.includes(":")) {
    // A relative reference whose first segment holds a colon (e.g. "1http://x") looks like a malformed scheme.
    return wrap("first path segment in URL cannot contain colon");
  }
  const path = unescape(rest, "path");
  if (!path.ok) return wrap(path.message);
  if (hash >= 0) {
    // setFragment failures name the whole input, fragment included.
    const fragment = unescape(raw.slice(hash + 1), "path");
    if (!fragment.ok) return { error: `parse ${goQuote(raw)}: ${fragment.message}` };
  }
  return { scheme: sch.scheme.toLowerCase(), host, path: path.value };
}

/**
 * Harbor's ValidateHTTPURL (src/lib/endpoint.go): trim spaces (only U+0020) and trailing slashes, add `http://` when there is no `://`,
 * parse, require http/https; the result keeps scheme, host (case preserved) and path, dropping user-info, query and fragment.
 */
export function validateHttpUrl(input: string): HttpUrlResult {
  // strings.Trim(s, " ") removes spaces only; tabs and newlines stay and make url.Parse fail.
  let s = input.replace(/^ +| +$/g, "").replace(/\/+$/, "");
  if (s === "") return { ok: false, message: "empty string" };
  if (!s.includes("://")) s = `http://${s}`;
  const parsed = goParse(s);
  if ("error" in parsed) return { ok: false, message: `invalid URL: ${parsed.error}` };
  if (parsed.scheme !== "http" && parsed.scheme !== "https") {
    return { ok: false, message: `invalid HTTP scheme: ${parsed.scheme}` };
  }
  return { ok: true, url: `${parsed.scheme}://${parsed.host}${parsed.path}` };
}

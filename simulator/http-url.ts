// Harbor's lib.ValidateHTTPURL: the URL normalisation whose output Harbor stores, with Go net/url's error texts.

/** Result of {@link validateHttpUrl}: the normalised URL, or Harbor's 400 message. */
export type HttpUrlResult = { ok: true; url: string } | { ok: false; message: string };

const HEX = /^[0-9a-fA-F]{2}$/;

/** Go's url.unescape: returns the decoded text or the EscapeError text. `host` mode also rejects %XX below 0x80 but %25. */
function unescape(s: string, mode: "host" | "path"): { ok: true; value: string } | { ok: false; message: string } {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) {
        const bad = s.slice(i, i + 3);
        return { ok: false, message: `invalid URL escape "${bad}"` };
      }
      // Go only allows %25 (zone separator) or non-ASCII escapes inside a host.
      if (mode === "host" && parseInt(hex[0]!, 16) < 8 && hex !== "25") {
        return { ok: false, message: `invalid URL escape "%${hex}"` };
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (mode === "host" && !/[A-Za-z0-9\-._~!$&'()*+,;=:\[\]<>"]/.test(c) && c.charCodeAt(0) < 0x80) {
      return { ok: false, message: `invalid character "${c}" in host name` };
    }
    for (const b of Buffer.from(c, "utf8")) bytes.push(b);
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

/** Go url.Parse reduced to what ValidateHTTPURL reads: lower-cased scheme, host (case kept) and decoded path. */
function goParse(raw: string): { scheme: string; host: string; path: string } | { error: string } {
  const wrap = (e: string) => ({ error: `parse "${raw}": ${e}` });
  // url.Parse cuts the fragment first; the query is cut before the path is parsed.
  const noFragment = raw.split("#", 1)[0]!;
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
      if (after !== "" && !/^:[0-9]*$/.test(after)) return wrap(`invalid port "${after}" after host`);
    } else if (colon >= 0) {
      const port = hostPort.slice(colon);
      if (!/^:[0-9]*$/.test(port)) return wrap(`invalid port "${port}" after host`);
    }
    const decoded = unescape(hostPort, "host");
    if (!decoded.ok) return wrap(decoded.message);
    host = decoded.value;
    hostPort = host;
  } else if (sch.scheme !== "" && !rest.startsWith("/")) {
    // Opaque URL like "mailto:x": no host, no path.
    return { scheme: sch.scheme.toLowerCase(), host: "", path: "" };
  }
  const path = unescape(rest, "path");
  if (!path.ok) return wrap(path.message);
  return { scheme: sch.scheme.toLowerCase(), host, path: path.value };
}

/**
 * Harbor's ValidateHTTPURL (src/lib/endpoint.go): trim spaces and trailing slashes, add `http://` when there is no `://`,
 * parse, require http/https; the result keeps scheme, host (case preserved) and path, dropping user-info, query and fragment.
 */
export function validateHttpUrl(input: string): HttpUrlResult {
  let s = input.trim().replace(/\/+$/, "");
  if (s === "") return { ok: false, message: "empty string" };
  if (!s.includes("://")) s = `http://${s}`;
  const parsed = goParse(s);
  if ("error" in parsed) return { ok: false, message: `invalid URL: ${parsed.error}` };
  if (parsed.scheme !== "http" && parsed.scheme !== "https") {
    return { ok: false, message: `invalid HTTP scheme: ${parsed.scheme}` };
  }
  return { ok: true, url: `${parsed.scheme}://${parsed.host}${parsed.path}` };
}

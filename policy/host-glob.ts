// Endpoint URLs as the rules compare them, and host globs (`*.example.com`) from the pack's config.

/** The parts of an http(s) endpoint URL the rules look at. */
export interface EndpointTarget {
  /** `http` or `https`. */
  scheme: "http" | "https";
  /** Lower-case host name or IP address; IPv6 without brackets. */
  host: string;
  /** The port Harbor connects to (the scheme's default when the URL has none). */
  port: number;
  /** `scheme://host[:port]/path` without user-info, query or fragment: safe to print. */
  display: string;
}

/** Parses an endpoint URL; undefined when it is not an absolute http(s) URL. */
export function parseEndpointUrl(url: string): EndpointTarget | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
  const scheme = u.protocol === "https:" ? "https" : "http";
  return {
    scheme,
    host: stripBrackets(u.hostname.toLowerCase()),
    port: u.port === "" ? (scheme === "https" ? 443 : 80) : Number(u.port),
    display: `${scheme}://${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`,
  };
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** A host glob split into its host pattern and optional port. */
interface HostGlob {
  host: string;
  port?: string;
}

function splitHostGlob(glob: string): HostGlob {
  const g = glob.trim().toLowerCase();
  if (g.startsWith("[")) {
    const end = g.indexOf("]");
    const rest = end < 0 ? "" : g.slice(end + 1);
    return { host: g.slice(1, end < 0 ? undefined : end), ...(rest.startsWith(":") ? { port: rest.slice(1) } : {}) };
  }
  const colons = g.split(":").length - 1;
  if (colons === 1) {
    const [host, port] = g.split(":") as [string, string];
    return { host, port };
  }
  return { host: g };
}

/**
 * Why `glob` is not a usable host glob, or undefined when it is. A glob is a host name or IP address in which `*`
 * matches any run of characters (dots included) and `?` one character, optionally followed by `:port`.
 */
export function hostGlobProblem(glob: string): string | undefined {
  if (glob.trim() === "") return "must not be empty";
  if (glob.includes("/")) return "must be a host name or glob such as *.example.com, not a URL";
  const { host, port } = splitHostGlob(glob);
  if (host === "" || !/^[a-z0-9.*?_:-]+$/.test(host)) return "must be a host name or glob such as *.example.com (letters, digits, '.', '-', '*', '?')";
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return "has a port that is not a number from 1 to 65535";
  return undefined;
}

/** Whether the endpoint's host (and port, when the glob names one) matches `glob`, case-insensitively. */
export function matchesHostGlob(glob: string, target: EndpointTarget): boolean {
  const { host, port } = splitHostGlob(glob);
  if (port !== undefined && Number(port) !== target.port) return false;
  const pattern = host.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(target.host);
}

/** The first glob of `globs` that matches the endpoint, if any. */
export function firstMatchingGlob(globs: readonly string[], target: EndpointTarget): string | undefined {
  return globs.find((g) => matchesHostGlob(g, target));
}

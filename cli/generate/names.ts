// Names for generated code: Pulumi logical names, TypeScript identifiers and config keys derived from Harbor names.

/**
 * Words that cannot name a top-level `const` in a TypeScript module compiled to CommonJS: ECMAScript reserved and
 * strict-mode words, TypeScript's own contextual type names, the CommonJS wrapper's parameters (TS2441) and the
 * globals a declaration would shadow. A derived identifier equal to one of them gets the suffix `Endpoint`.
 */
export const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([
  // ECMAScript reserved words, also in strict mode and modules.
  "arguments", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
  "else", "enum", "eval", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
  "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return", "static",
  "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  // TypeScript type names and contextual keywords that read badly or fail as value names.
  "any", "as", "async", "boolean", "constructor", "declare", "get", "infer", "is", "keyof", "module", "namespace",
  "never", "number", "object", "of", "readonly", "require", "set", "string", "symbol", "type", "undefined", "unique",
  "unknown", "satisfies", "accessor", "asserts", "out", "override", "global",
  // The CommonJS module wrapper's parameters.
  "exports", "__filename", "__dirname",
  // Globals a module-level const would shadow.
  "globalThis", "NaN", "Infinity", "Object", "Array", "String", "Number", "Boolean", "Symbol", "Promise", "Error",
  "JSON", "Math", "Date", "Map", "Set", "Buffer", "process", "console",
]);

/** The identifiers the generated module itself declares or imports; a derived one equal to them gets `Endpoint`. */
export const MODULE_IDENTIFIERS: ReadonlySet<string> = new Set(["pulumi", "RegistryEndpoint", "config", "registryIds"]);

/** What the name of one endpoint derives from. */
export interface NameSource {
  /** Harbor's registry id: the tie-breaker, so names stay stable when later endpoints are added. */
  id: number;
  /** The endpoint's name in Harbor (any Unicode, spaces included). */
  name: string;
  /** Harbor's provider type, which names an endpoint whose name has no ASCII letters or digits. Default `registry`. */
  type?: string;
}

/** The names of one generated declaration. */
export interface DerivedNames {
  /** The Pulumi logical name: lower-case ASCII letters, digits and single dashes, unique in the module. */
  logicalName: string;
  /** The TypeScript `const` holding the resource: a camelCase identifier, unique in the module. */
  identifier: string;
  /** The stack config key (in the project's namespace) that holds the access secret. */
  secretConfigKey: string;
}

/** Options of {@link deriveNames}. */
export interface DeriveNamesOptions {
  /**
   * Prefix of every logical name and config key (the `--connection` name), so the modules generated for several
   * Harbors can live in one program without two resources or two secrets sharing a name.
   */
  prefix?: string;
}

/**
 * Turns any text into lower-case ASCII words: letters lose their accents (NFKD, combining marks dropped), `ß` becomes
 * `ss`, and every other run of characters becomes a single separator. Scripts without an ASCII transliteration
 * (Chinese, Cyrillic …) contribute nothing; the caller falls back to the Harbor id.
 */
export function asciiWords(text: string): string[] {
  const folded = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss")
    .replace(/[æÆ]/g, "ae")
    .replace(/[øØ]/g, "o")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .replace(/[œŒ]/g, "oe")
    // Split camelCase so "DockerHub" reads as "docker hub", like the kebab-case a person would write.
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();
  return folded.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/** The kebab-case slug of a Harbor name, or `<type>-<id>` (e.g. `huawei-swr-7`) when nothing of it survives as ASCII. */
export function baseLogicalName(source: NameSource, prefix?: string): string {
  const words = asciiWords(source.name);
  const body = words.length > 0 ? words.join("-") : [...asciiWords(source.type ?? "registry"), String(source.id)].join("-");
  const head = prefix === undefined ? [] : asciiWords(prefix);
  return [...head, body].join("-");
}

/** camelCase of kebab-case words; a leading digit gets the prefix `endpoint`, a reserved word the suffix `Endpoint`. */
export function identifierFor(logicalName: string): string {
  const words = logicalName.split("-").filter((w) => w.length > 0);
  let id = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (id === "" || /^[0-9]/.test(id)) id = `endpoint${id.charAt(0).toUpperCase()}${id.slice(1)}`;
  if (RESERVED_IDENTIFIERS.has(id) || MODULE_IDENTIFIERS.has(id)) id = `${id}Endpoint`;
  return id;
}

/**
 * Picks a unique value for every item: the first claimant (lowest Harbor id) of a base keeps it, later ones get the
 * smallest free numeric suffix. Every base is reserved before suffixes are handed out, so a suffixed name never takes
 * the base of another endpoint (`build-cache-2` stays free for the endpoint named "build cache 2").
 */
function uniquify<T>(items: readonly T[], base: (item: T) => string, withSuffix: (base: string, n: number) => string): Map<T, string> {
  const taken = new Set<string>();
  const out = new Map<T, string>();
  const later: T[] = [];
  for (const item of items) {
    const b = base(item);
    if (taken.has(b)) later.push(item);
    else {
      taken.add(b);
      out.set(item, b);
    }
  }
  for (const item of later) {
    const b = base(item);
    let n = 2;
    while (taken.has(withSuffix(b, n))) n++;
    const name = withSuffix(b, n);
    taken.add(name);
    out.set(item, name);
  }
  return out;
}

/**
 * Derives unique logical names, identifiers and secret config keys for endpoints, in a way that does not depend on
 * the order they are passed in (Harbor ids decide ties). The result is keyed by Harbor id.
 */
export function deriveNames(sources: readonly NameSource[], options: DeriveNamesOptions = {}): Map<number, DerivedNames> {
  const byId = [...sources].sort((a, b) => a.id - b.id);
  const logical = uniquify(byId, (s) => baseLogicalName(s, options.prefix), (b, n) => `${b}-${n}`);
  const identifiers = uniquify(byId, (s) => identifierFor(logical.get(s)!), (b, n) => `${b}${n}`);
  const out = new Map<number, DerivedNames>();
  for (const s of byId) {
    const identifier = identifiers.get(s)!;
    out.set(s.id, {
      logicalName: logical.get(s)!,
      identifier,
      // Derived from the identifier, which already carries the prefix and is unique, so keys are unique too.
      secretConfigKey: `${identifier}AccessSecret`,
    });
  }
  return out;
}

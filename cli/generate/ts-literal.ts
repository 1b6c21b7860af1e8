// TypeScript source fragments for values read from Harbor: string and template literals, comments, property keys.

/**
 * Characters that must never appear raw in generated source: controls, format characters (bidirectional overrides
 * that make code display differently from what it does, zero-width characters, BOM), line and paragraph separators,
 * private-use and unassigned code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\0": "\\0" };

function unicodeEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** True for a UTF-16 surrogate without its partner (a string Harbor may hold, but no editor shows). */
function isLoneSurrogate(ch: string): boolean {
  return ch.length === 1 && /[\ud800-\udfff]/.test(ch);
}

function escapeChar(ch: string, next: string | undefined): string {
  if (isLoneSurrogate(ch) || INVISIBLE.test(ch)) {
    // "\0" followed by a digit would read as a legacy octal escape, which strict code rejects.
    if (ch === "\0" && next !== undefined && /[0-9]/.test(next)) return "\\x00";
    return SHORT_ESCAPES[ch] ?? unicodeEscape(ch);
  }
  return ch;
}

/**
 * Builds a literal between `quote`s: the quote and `\` are escaped, `keep` may give the text for any other character
 * (else an invisible one is escaped and the rest stay as they are). Lone surrogates are walked as single units.
 */
function literal(value: string, quote: string, keep: (ch: string, next: string | undefined) => string | undefined): string {
  const chars = Array.from(value);
  let out = quote;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    out += ch === quote || ch === "\\" ? `\\${ch}` : (keep(ch, next) ?? escapeChar(ch, next));
  }
  return `${out}${quote}`;
}

/** A double-quoted string literal whose value is exactly `value`; readable letters of any script stay as they are. */
export function stringLiteral(value: string): string {
  return literal(value, '"', () => undefined);
}

/**
 * A template literal whose value is exactly `value`, for multi-line text such as a PEM bundle: newlines stay real
 * line breaks; `\r` is escaped because a template literal would turn a raw CR or CRLF into LF.
 */
export function templateLiteral(value: string): string {
  return literal(value, "`", (ch, next) => (ch === "\n" ? "\n" : ch === "$" && next === "{" ? "\\$" : undefined));
}

/** Whether a property key can be written without quotes. */
function isPlainKey(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

/** An object-literal key: bare when it is an identifier, else a string literal. */
export function propertyKey(key: string): string {
  return isPlainKey(key) ? key : stringLiteral(key);
}

/**
 * `//` comment lines (each prefixed with `indent`, its text with `lead`) showing `text` as a reader should see it: one
 * comment line per line of text, invisible characters spelled as `\uXXXX` so they cannot disguise the code around
 * them, and no line terminator (`\u2028` included) that could end the comment early.
 */
export function commentLines(text: string, indent = "", lead = ""): string[] {
  return text
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => {
      const shown = Array.from(line).map((ch) => (ch === "\t" ? " " : isLoneSurrogate(ch) || INVISIBLE.test(ch) ? unicodeEscape(ch) : ch)).join("");
      const trimmed = `${lead}${shown}`.replace(/\s+$/, "");
      return trimmed === "" ? `${indent}//` : `${indent}// ${trimmed}`;
    });
}

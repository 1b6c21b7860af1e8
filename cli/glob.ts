// Shell-style globs over endpoint names: `*`, `?`, `[abc]`, `[a-z]`, `[!abc]` and `\` escapes, case-sensitive.

/** A compiled glob. */
export interface Glob {
  /** The glob as given. */
  readonly source: string;
  /** Whether the whole of `text` matches (`*` also matches `/` and spaces: names are not paths). */
  matches(text: string): boolean;
}

// Only syntax characters may be escaped in a unicode-mode RegExp; "-" only inside a class.
function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassMember(ch: string): string {
  return /[\\^\]\[-]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles `pattern`; throws an Error naming the problem for an unterminated `[` or a trailing `\`. */
export function compileGlob(pattern: string): Glob {
  const chars = Array.from(pattern);
  let re = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\") {
      const next = chars[++i];
      if (next === undefined) throw new Error(`glob ${JSON.stringify(pattern)} ends with a lone \\`);
      re += escapeRegExp(next);
    } else if (ch === "*") {
      re += ".*";
    } else if (ch === "?") {
      re += ".";
    } else if (ch === "[") {
      let j = i + 1;
      let negate = false;
      if (chars[j] === "!" || chars[j] === "^") {
        negate = true;
        j++;
      }
      let body = "";
      // A "]" right after "[" or "[!" is a literal member, as in POSIX shells.
      let first = true;
      while (j < chars.length && (chars[j] !== "]" || first)) {
        const c = chars[j]!;
        if (c === "\\" && j + 1 < chars.length) {
          body += escapeClassMember(chars[++j]!);
        } else if (c === "-" && !first && j + 1 < chars.length && chars[j + 1] !== "]") {
          body += "-";
        } else {
          body += escapeClassMember(c);
        }
        first = false;
        j++;
      }
      if (j >= chars.length) throw new Error(`glob ${JSON.stringify(pattern)} has a [ without its closing ]`);
      re += `[${negate ? "^" : ""}${body}]`;
      i = j;
    } else {
      re += escapeRegExp(ch);
    }
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^${re}$`, "su");
  } catch {
    throw new Error(`glob ${JSON.stringify(pattern)} has an invalid [ ] range`);
  }
  return { source: pattern, matches: (text: string) => regex.test(text) };
}

// Harbor's list query language (`q`, `sort`) for the registry table and the Link/X-Total-Count pagination headers.
import { harborError } from "./responses";

/** One parsed `q` item; `and` (an AND list) is accepted but filters nothing on these models. */
export type Condition =
  | {
      /** Filter key as written (Go field or column name). */
      key: string;
      /** `eq`: exact match; `fuzzy`: case-insensitive substring (ILIKE `%v%`). */
      op: "eq" | "fuzzy";
      /** The value to match. */
      value: string;
    }
  | {
      /** Filter key as written. */
      key: string;
      /** Inclusive range `[min~max]`. */
      op: "range";
      /** Lower bound (none when absent). */
      min?: string;
      /** Upper bound (none when absent). */
      max?: string;
    }
  | {
      /** Filter key as written. */
      key: string;
      /** OR list `{a b}`. */
      op: "in";
      /** Accepted values. */
      values: string[];
    }
  | {
      /** Filter key as written. */
      key: string;
      /** AND list `(a b)`: parsed, matches every row. */
      op: "and";
    };

/**
 * The value go-swagger binds for a query parameter: the last occurrence wins, and an empty value counts as absent.
 */
export function queryParam(query: URLSearchParams, key: string): string | null {
  const last = query.getAll(key).at(-1);
  return last === undefined || last === "" ? null : last;
}

/** Go's url.QueryUnescape: `+` is a space, `%XX` a byte; undefined on a malformed escape. */
export function goQueryUnescape(s: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") {
      bytes.push(0x20);
    } else {
      for (const b of Buffer.from(c, "utf8")) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** q.parseValue for range bounds and list items: trimmed, then surrounding quotes stripped. */
function listValue(v: string): string {
  return v.trim().replace(/^["']+|["']+$/g, "");
}

/** q.parsePattern: the operator a value starts with decides its form; a malformed form is an error (undefined). */
function parsePattern(key: string, value: string): Condition | undefined {
  switch (value[0]) {
    case "~":
      return value.length < 2 ? undefined : { key, op: "fuzzy", value: value.slice(1) };
    case "[": {
      if (!value.endsWith("]") || value.split("~").length !== 2) return undefined;
      const [min, max] = value.slice(1, -1).split("~").map((v) => v.trim()) as [string, string];
      if (min === "" && max === "") return undefined;
      return { key, op: "range", min: min === "" ? undefined : listValue(min), max: max === "" ? undefined : listValue(max) };
    }
    case "{":
      if (value.length < 2 || !value.endsWith("}")) return undefined;
      return { key, op: "in", values: value.slice(1, -1).split(" ").map(listValue).filter((v) => v !== "") };
    case "(":
      if (value.length < 2 || !value.endsWith(")")) return undefined;
      return { key, op: "and" };
    default:
      // escapeValue: a leading backslash escapes an operator character.
      return { key, op: "eq", value: value.startsWith("\\") ? value.slice(1) : value };
  }
}

/**
 * Parses `q` like src/lib/q/builder.go; throws Harbor's 400 on a malformed item. Keys and values are not trimmed,
 * and a repeated key keeps its last value (Harbor collects them into a Go map).
 */
export function parseQuery(q: string | null): Condition[] {
  if (q === null || q === "") return [];
  const decoded = goQueryUnescape(q) ?? q;
  const byKey = new Map<string, Condition>();
  for (const item of decoded.split(",")) {
    const eq = item.indexOf("=");
    const key = eq >= 0 ? item.slice(0, eq) : "";
    const value = eq >= 0 ? item.slice(eq + 1) : "";
    if (eq < 0 || key === "" || value === "") {
      throw harborError(400, `the query string must contain "=" and the key/value cannot be empty`);
    }
    const condition = parsePattern(key, value);
    if (!condition) throw harborError(400, `invalid query string value: ${value}`);
    byKey.delete(key);
    byKey.set(key, condition);
  }
  return [...byKey.values()];
}

/** Field accessors by Harbor filter key (Go field name or column name); unknown keys are ignored. */
export type FieldTable<T> = Record<string, (row: T) => string | number | boolean | Date>;

function asComparable(v: string | number | boolean | Date): string | number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? "true" : "false";
  return v;
}

function matches<T>(row: T, c: Condition, get: (row: T) => string | number | boolean | Date): boolean {
  const v = get(row);
  const cv = asComparable(v);
  const cast = (s: string): string | number => {
    if (v instanceof Date) return Date.parse(s);
    if (typeof v === "number") return Number(s);
    if (typeof v === "boolean") return s.toLowerCase() === "true" || s === "1" ? "true" : "false";
    return s;
  };
  switch (c.op) {
    case "and":
      return true;
    case "eq":
      return cv === cast(c.value);
    case "fuzzy":
      // ILIKE %v%
      return String(v instanceof Date ? v.toISOString() : v).toLowerCase().includes(c.value.toLowerCase());
    case "in":
      return c.values.some((x) => cv === cast(x));
    case "range":
      return (c.min === undefined || cv >= cast(c.min)) && (c.max === undefined || cv <= cast(c.max));
  }
}

/** Filters rows by the parsed conditions. */
export function filterRows<T>(rows: T[], conditions: Condition[], fields: FieldTable<T>): T[] {
  return rows.filter((row) => conditions.every((c) => (fields[c.key] ? matches(row, c, fields[c.key]!) : true)));
}

/** Sorts by `sort=name,-creation_time`; unknown keys (including ones with spaces) are ignored; without sort the insertion order is kept. */
export function sortRows<T>(rows: T[], sort: string | null, fields: FieldTable<T>): T[] {
  if (!sort) return rows;
  // ParseSorting neither trims nor drops empty items; such keys are unknown and therefore ignored.
  const keys = sort
    .split(",")
    .map((k) => (k.startsWith("-") ? { key: k.slice(1), dir: -1 } : { key: k, dir: 1 }))
    .filter((k) => fields[k.key] !== undefined);
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = asComparable(fields[k.key]!(a));
      const y = asComparable(fields[k.key]!(b));
      if (x < y) return -k.dir;
      if (x > y) return k.dir;
    }
    return 0;
  });
}

/** One page of rows plus X-Total-Count and Link headers, built like BaseAPI.Links (src/lib/link.go). */
export function paginate<T>(
  rows: T[],
  page: number,
  pageSize: number,
  path: string,
  query: URLSearchParams,
): { items: T[]; headers: Record<string, string> } {
  const total = rows.length;
  const headers: Record<string, string> = { "X-Total-Count": String(total) };
  // page_size <= 0 means no LIMIT and no Link header.
  if (pageSize <= 0) return { items: rows, headers };
  const offset = (page - 1) * pageSize;
  const items = offset < 0 ? [] : rows.slice(offset, offset + pageSize);
  const link = (p: number): string => {
    const params = new Map<string, string[]>();
    for (const [k, v] of query) params.set(k, [...(params.get(k) ?? []), v]);
    params.set("page", [String(p)]);
    params.set("page_size", [String(pageSize)]);
    // url.Values.Encode sorts keys; Harbor then URL-unescapes the encoded query.
    const encoded = [...params.keys()]
      .sort()
      .flatMap((k) => params.get(k)!.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
      .join("&");
    let unescaped: string;
    try {
      unescaped = decodeURIComponent(encoded);
    } catch {
      unescaped = encoded;
    }
    return `<${path}?${unescaped}>`;
  };
  const links: string[] = [];
  if (page > 1 && (page - 1) * pageSize < total) links.push(`${link(page - 1)}; rel="prev"`);
  if (page * pageSize < total) links.push(`${link(page + 1)}; rel="next"`);
  if (links.length > 0) headers.Link = links.join(" , ");
  return { items, headers };
}

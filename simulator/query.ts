// Harbor's list query language (`q`, `sort`) for the registry table and the Link/X-Total-Count pagination headers.
import { harborError } from "./responses";

/** One parsed `q` item. */
type Condition =
  | { key: string; op: "eq" | "fuzzy"; value: string }
  | { key: string; op: "range"; min?: string; max?: string }
  | { key: string; op: "in"; values: string[] };

/** Parses `q` like src/lib/q/builder.go; throws Harbor's 400 on a malformed item. */
export function parseQuery(q: string | null): Condition[] {
  if (q === null || q === "") return [];
  let decoded: string;
  try {
    decoded = decodeURIComponent(q);
  } catch {
    decoded = q;
  }
  const out: Condition[] = [];
  for (const item of decoded.split(",")) {
    const eq = item.indexOf("=");
    const key = eq >= 0 ? item.slice(0, eq).trim() : "";
    let value = eq >= 0 ? item.slice(eq + 1).trim() : "";
    if (eq < 0 || key === "" || value === "") {
      throw harborError(400, `the query string must contain "=" and the key/value cannot be empty`);
    }
    if (value.startsWith("~")) {
      value = value.slice(1);
      if (value === "") throw harborError(400, `invalid query string value: ~`);
      out.push({ key, op: "fuzzy", value });
    } else if (value.startsWith("[") && value.endsWith("]")) {
      const [min, max] = value.slice(1, -1).split("~");
      if (min === undefined || max === undefined || (min.trim() === "" && max.trim() === "")) {
        throw harborError(400, `invalid query string value: ${value}`);
      }
      out.push({ key, op: "range", min: min.trim() || undefined, max: max.trim() || undefined });
    } else if (value.startsWith("{") && value.endsWith("}")) {
      out.push({ key, op: "in", values: value.slice(1, -1).split(" ").filter((v) => v !== "") });
    } else if (value.startsWith("(") && value.endsWith(")")) {
      // AND lists are not supported for this model: ignored.
      continue;
    } else {
      out.push({ key, op: "eq", value });
    }
  }
  return out;
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

/** Sorts by `sort=name,-creation_time`; unknown keys are ignored; without sort the insertion order is kept. */
export function sortRows<T>(rows: T[], sort: string | null, fields: FieldTable<T>): T[] {
  if (!sort) return rows;
  const keys = sort
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "")
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

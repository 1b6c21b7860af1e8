// Test support: Harbor's swagger.yaml (read at test time) as JSON Schema, and validation of simulator response bodies.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import type { ValidateFunction } from "ajv";
import { parse } from "yaml";

type Json = Record<string, unknown>;

/** The repository root (the directory holding this package's package.json). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-harbor-endpoints") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("swagger.ts: cannot find the repository root (package.json of pulumi-harbor-endpoints)");
    dir = up;
  }
}

/** Path of Harbor's swagger.yaml: env HARBOR_SWAGGER, else ../shared/harbor/swagger.yaml beside the checkout. */
export function swaggerPath(): string {
  return process.env.HARBOR_SWAGGER ?? path.resolve(repoRoot(), "../shared/harbor/swagger.yaml");
}

/**
 * Converts one Swagger 2.0 schema to draft-04 JSON Schema.
 * - `x-nullable: true` admits null.
 * - Arrays admit null: go-swagger serialises a nil slice as `null` (array properties are not omitempty).
 * - `strict` closes every object that declares `properties` (additionalProperties:false) unless the spec says otherwise,
 *   so a simulator cannot invent fields.
 */
function convert(s: unknown, strict: boolean): unknown {
  if (Array.isArray(s)) return s.map((x) => convert(x, strict));
  if (s === null || typeof s !== "object") return s;
  const src = s as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith("x-") || k === "example" || k === "discriminator" || k === "readOnly" || k === "xml") continue;
    if (k === "format" && v !== "date-time") continue;
    if (k === "properties" && v && typeof v === "object") {
      out.properties = Object.fromEntries(Object.entries(v as Json).map(([p, ps]) => [p, convert(ps, strict)]));
    } else if (k === "$ref" && typeof v === "string") {
      out.$ref = v;
    } else {
      out[k] = convert(v, strict);
    }
  }
  if (out.type === "file") delete out.type;
  if (strict && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  const nullable = src["x-nullable"] === true || src.type === "array";
  if (nullable) {
    if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: "null" }] };
    if (typeof out.type === "string") out.type = [out.type, "null"];
  }
  return out;
}

interface Loaded {
  spec: Json;
  ajv: Ajv;
  cache: Map<string, ValidateFunction>;
}

const loaded = new Map<boolean, Loaded>();

function load(strict: boolean): Loaded {
  const hit = loaded.get(strict);
  if (hit) return hit;
  const file = swaggerPath();
  if (!fs.existsSync(file)) throw new Error(`swagger.yaml not found at ${file} (set HARBOR_SWAGGER to its path)`);
  const spec = parse(fs.readFileSync(file, "utf8")) as Json;
  const definitions = Object.fromEntries(Object.entries(spec.definitions as Json).map(([k, v]) => [k, convert(v, strict)]));
  const ajv = new Ajv({ strict: false, allErrors: true });
  // RFC 3339 date-time as go-openapi strfmt emits it.
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addSchema({ id: "harbor", definitions }, "harbor");
  const l = { spec, ajv, cache: new Map<string, ValidateFunction>() };
  loaded.set(strict, l);
  return l;
}

function rewriteRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (s === null || typeof s !== "object") return s;
  return Object.fromEntries(
    Object.entries(s as Json).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(/^#\//, "harbor#/") : rewriteRefs(v)]),
  );
}

function compile(l: Loaded, key: string, swaggerSchema: unknown, strict: boolean): ValidateFunction {
  let fn = l.cache.get(key);
  if (!fn) {
    fn = l.ajv.compile(rewriteRefs(convert(swaggerSchema, strict)) as Json);
    l.cache.set(key, fn);
  }
  return fn;
}

function describe(fn: ValidateFunction): string {
  return (fn.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`).join("; ");
}

/** Validation problems of a body against a definition (empty = valid). */
export function definitionErrors(body: unknown, definitionName: string, opts: { strict?: boolean } = {}): string[] {
  const strict = opts.strict ?? true;
  const l = load(strict);
  if (!(l.spec.definitions as Json)[definitionName]) return [`swagger.yaml has no definition ${definitionName}`];
  const fn = compile(l, `def:${definitionName}`, { $ref: `#/definitions/${definitionName}` }, strict);
  return fn(body) ? [] : [describe(fn)];
}

/** Throws when `body` does not match `#/definitions/<definitionName>` (strict: undeclared properties also fail). */
export function assertMatchesDefinition(body: unknown, definitionName: string, opts: { strict?: boolean } = {}): void {
  const errors = definitionErrors(body, definitionName, opts);
  if (errors.length > 0) throw new Error(`body does not match ${definitionName}: ${errors.join("; ")}`);
}

/** The swagger operation with this operationId. */
function findOperation(spec: Json, operationId: string): Json | undefined {
  for (const item of Object.values(spec.paths as Json)) {
    for (const op of Object.values(item as Json)) {
      if (op && typeof op === "object" && (op as Json).operationId === operationId) return op as Json;
    }
  }
  return undefined;
}

/** What a simulator reported for one response (structurally the simulator's SimulatorResponseInfo). */
export interface ResponseInfo {
  method: string;
  path: string;
  route: string;
  status: number;
  body: unknown;
}

/**
 * Validates one simulator response against the response schema swagger.yaml declares for its operationId and status.
 * Error statuses the spec does not list (go-swagger's 422, router 404/405, injected faults) must still be `Errors`.
 * Returns the problems (empty = conforming); `checked` tells whether a schema was applied.
 */
export function responseErrors(info: ResponseInfo, opts: { strict?: boolean } = {}): { checked: boolean; errors: string[] } {
  const strict = opts.strict ?? true;
  const l = load(strict);
  const where = `${info.method} ${info.path} (${info.route}) ${info.status}`;
  const errorsSchema = { $ref: "#/definitions/Errors" };
  if (info.route.startsWith("x-")) {
    // Routes outside swagger.yaml: only the router's own error envelopes are Harbor API bodies.
    if (info.route === "x-notFound" || info.route === "x-methodNotAllowed") {
      const fn = compile(l, "errors", errorsSchema, strict);
      return { checked: true, errors: fn(info.body) ? [] : [`${where}: ${describe(fn)}`] };
    }
    return { checked: false, errors: [] };
  }
  const op = findOperation(l.spec, info.route);
  if (!op) return { checked: false, errors: [`${where}: no operation ${info.route} in swagger.yaml`] };
  const responses = op.responses as Json;
  let resp = (responses[String(info.status)] ?? responses.default) as Json | undefined;
  if (resp && typeof resp.$ref === "string") resp = (l.spec.responses as Json)[resp.$ref.replace("#/responses/", "")] as Json;
  let schema: unknown = resp?.schema;
  if (!resp && info.status >= 400) schema = errorsSchema;
  if (schema === undefined) {
    if (info.body === undefined || info.body === "") return { checked: true, errors: [] };
    return { checked: true, errors: [`${where}: swagger declares no body for this status but one was sent`] };
  }
  const fn = compile(l, `op:${info.route}:${info.status}`, schema, strict);
  return { checked: true, errors: fn(info.body) ? [] : [`${where}: ${describe(fn)}`] };
}

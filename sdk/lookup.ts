// getRegistryEndpoint / getRegistryEndpointOutput: look an endpoint up by exact name, in the program process (works in preview).
import * as pulumi from "@pulumi/pulumi";
import { lookupRegistryEndpoint } from "../provider";
import type { RegistryEndpointLookup, RegistryEndpointLookupOptions, RegistryEndpointLookupRequest } from "../provider";

export type { RegistryEndpointLookup, RegistryEndpointLookupOptions };

/** The arguments of {@link getRegistryEndpoint}. */
export type GetRegistryEndpointArgs = RegistryEndpointLookupRequest;

/** The arguments of {@link getRegistryEndpointOutput}: those of {@link getRegistryEndpoint}, as Pulumi inputs. */
export interface GetRegistryEndpointOutputArgs {
  /** The endpoint's exact name in Harbor (case-sensitive). */
  name: pulumi.Input<string>;
  /** The Harbor connection to search (a key of `harbor:connections`). Default: `"default"`. */
  connection?: pulumi.Input<string>;
}

/** Options of {@link getRegistryEndpointOutput}. */
export interface RegistryEndpointLookupOutputOptions extends RegistryEndpointLookupOptions {
  /**
   * Resources to wait for before looking up, e.g. the `RegistryEndpoint` of this program that creates the name. While
   * one of them is still to be created (in `preview`), the result is unknown.
   */
  dependsOn?: pulumi.Input<pulumi.Resource> | pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}

/** The program's stack config, read as the provider reads its own (`harbor:url`, `harbor:connections`, …). */
const programConfig = { get: (key: string): string | undefined => pulumi.runtime.getConfig(key) };

/**
 * Looks up an existing Harbor registry endpoint by its exact name (created in Harbor's UI, by another stack, …), for
 * example to use its `registryId` in a replication rule or a proxy-cache project. Runs in the program, during
 * `pulumi preview` too, with the connection settings of the stack config (`harbor:url`/`harbor:username`/
 * `harbor:password`, or `harbor:connections.<name>.*`) or the `HARBOR_*` environment. Matches the name exactly and
 * case-sensitively, across every page of Harbor's answer; no such name rejects with an error naming the name, the
 * Harbor and up to five closest existing names. Never returns a secret.
 *
 * @param args - `name`, and `connection` (default `"default"`).
 * @param opts - `timeoutMs` per request (default 30000).
 * @example
 * ```ts
 * const hub = await getRegistryEndpoint({ name: "docker-hub-mirror", connection: "eu" });
 * export const hubId = hub.registryId;
 * ```
 */
export function getRegistryEndpoint(args: GetRegistryEndpointArgs, opts?: RegistryEndpointLookupOptions): Promise<RegistryEndpointLookup> {
  return lookupRegistryEndpoint({ name: args?.name, connection: args?.connection }, opts, programConfig).catch((e: unknown) => {
    throw asRunError(e);
  });
}

/**
 * The failure as a `pulumi.RunError`, which Pulumi reports by its message alone (no stack, no dump of the fields), with
 * the original's fields (`errorKind`, `closest`, `status` …) kept for programs that catch it.
 */
function asRunError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const run = Object.assign(new pulumi.RunError(e.message), e, { cause: e });
  run.name = e.name;
  return run;
}

/**
 * {@link getRegistryEndpoint} for Pulumi inputs: the lookup runs once `name` and `connection` are known (and the
 * resources in `opts.dependsOn` exist), and the result is an `Output`.
 *
 * @param args - `name` and `connection` as inputs.
 * @param opts - `timeoutMs` per request, `dependsOn`.
 * @example
 * ```ts
 * const upstream = getRegistryEndpointOutput({ name: "central", connection: "replica" });
 * export const upstreamId = upstream.registryId;
 * ```
 */
export function getRegistryEndpointOutput(
  args: GetRegistryEndpointOutputArgs,
  opts?: RegistryEndpointLookupOutputOptions,
): pulumi.Output<RegistryEndpointLookup> {
  const waitFor = pulumi
    .output(opts?.dependsOn ?? [])
    .apply((deps) => pulumi.all((Array.isArray(deps) ? deps : [deps]).map((r) => (pulumi.CustomResource.isInstance(r) ? r.id : r.urn))));
  const timeout = opts?.timeoutMs === undefined ? undefined : { timeoutMs: opts.timeoutMs };
  return pulumi
    .all([args.name, args.connection, waitFor])
    .apply(([name, connection]) => getRegistryEndpoint({ name, connection }, timeout));
}

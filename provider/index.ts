// The only module sdk/ imports: `registryEndpointProvider`, a tiny serializable object that loads the implementation lazily.
import type * as pulumi from "@pulumi/pulumi";
import type {
  RegistryEndpointLookup,
  RegistryEndpointLookupOptions,
  RegistryEndpointLookupRequest,
  RegistryEndpointProviderMethods,
} from "./lookup-types";
import dynamicProvider = require("./dynamic");

export type {
  RegistryEndpointLookup,
  RegistryEndpointLookupOptions,
  RegistryEndpointLookupRequest,
  RegistryEndpointProviderMethods,
} from "./lookup-types";
export { RUN_PHASE_INPUT } from "./run-phase";

/**
 * The per-process implementation (configuration, Harbor client, lifecycle). Loaded on first call, so importing this
 * module (as every Pulumi program does through the SDK) loads neither the Harbor client nor zod.
 */
export function registryEndpointProviderImplementation(): RegistryEndpointProviderMethods {
  return (require("./provider") as typeof import("./provider")).registryEndpointProviderImplementation();
}

/**
 * The `pulumi.dynamic.ResourceProvider` behind `RegistryEndpoint`: the `module.exports` of
 * `pulumi-harbor-endpoints/provider/dynamic`, so an installed package serializes it into each resource's
 * `__provider` as a `require()` of that module (a few hundred bytes); see provider/dynamic.ts.
 */
export const registryEndpointProvider: pulumi.dynamic.ResourceProvider = dynamicProvider;

/**
 * Looks an endpoint up by exact name on one Harbor connection, in whichever process calls it (for the SDK: the Pulumi
 * program). The implementation (Harbor client, zod) is loaded on first call.
 *
 * @param request - the name, and the connection (default `"default"`).
 * @param options - per-request timeout.
 * @param config - the stack config to read `harbor:*` from (the program's); the `HARBOR_*` environment is the fallback.
 */
export function lookupRegistryEndpoint(
  request: RegistryEndpointLookupRequest,
  options?: RegistryEndpointLookupOptions,
  config?: { get(key: string): string | undefined },
): Promise<RegistryEndpointLookup> {
  return (require("./lookup") as typeof import("./lookup")).lookupRegistryEndpoint(request, options, { config });
}

// The only module sdk/ imports: `registryEndpointProvider`, a tiny serializable object that loads the implementation lazily.
import type * as pulumi from "@pulumi/pulumi";
import type {
  RegistryEndpointLookup,
  RegistryEndpointLookupOptions,
  RegistryEndpointLookupRequest,
  RegistryEndpointProviderMethods,
} from "./lookup-types";

export type {
  RegistryEndpointLookup,
  RegistryEndpointLookupOptions,
  RegistryEndpointLookupRequest,
  RegistryEndpointProviderMethods,
} from "./lookup-types";

/**
 * Absolute path of this compiled module, captured by value into the serialized provider. Used only when the package
 * cannot be resolved by name from the program's directory (e.g. a program inside this repository, or one that loads
 * the package through a relative path): the dynamic-provider host evaluates `__provider` with require-from-string,
 * whose module search paths start at the process cwd, so `require("pulumi-harbor-endpoints/provider")` is what works
 * for an installed package, while `__dirname` inside the closure would only be ".".
 */
const PROVIDER_MODULE_FILE: string = __filename;

/** Loads the implementation in whichever process runs the provider; resolved by package name first. */
function loadRegistryEndpointProvider(): RegistryEndpointProviderMethods {
  let entry: { registryEndpointProviderImplementation(): RegistryEndpointProviderMethods };
  try {
    entry = require("pulumi-harbor-endpoints/provider");
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
    entry = require(PROVIDER_MODULE_FILE);
  }
  return entry.registryEndpointProviderImplementation();
}

/**
 * The per-process implementation (configuration, Harbor client, lifecycle). Loaded on first call, so importing this
 * module (as every Pulumi program does through the SDK) loads neither the Harbor client nor zod.
 */
export function registryEndpointProviderImplementation(): RegistryEndpointProviderMethods {
  return (require("./provider") as typeof import("./provider")).registryEndpointProviderImplementation();
}

/**
 * The `pulumi.dynamic.ResourceProvider` behind `RegistryEndpoint`. Each method `require()`s the implementation
 * inside its body, so the closure Pulumi serializes into every resource's `__provider` holds only these stubs and a
 * module path (a few KB), and no Harbor setting: those come from `configure()` (stack config `harbor:*` or the
 * `HARBOR_*` environment) in the provider process.
 */
export const registryEndpointProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return loadRegistryEndpointProvider().configure(req);
  },
  async check(olds, news) {
    return loadRegistryEndpointProvider().check(olds, news);
  },
  async diff(id, olds, news) {
    return loadRegistryEndpointProvider().diff(id, olds, news);
  },
  async create(inputs) {
    return loadRegistryEndpointProvider().create(inputs);
  },
  async read(id, props) {
    return loadRegistryEndpointProvider().read(id, props);
  },
  async update(id, olds, news) {
    return loadRegistryEndpointProvider().update(id, olds, news);
  },
  async delete(id, props) {
    return loadRegistryEndpointProvider().delete(id, props);
  },
};

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

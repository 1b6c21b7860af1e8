// `registryEndpointProvider` as the whole `module.exports` of its own module. When the package is installed under
// node_modules, Pulumi's closure serializer finds this object in the require cache as the exports of
// `pulumi-harbor-endpoints/provider/dynamic` (an entry of the package's `exports` map) and writes
// `require("pulumi-harbor-endpoints/provider/dynamic")` into every resource's `__provider` instead of the code below
// (about 250 bytes instead of 3.4 KB). Loaded from a path outside node_modules (this repository, a linked checkout),
// the serializer captures the object by value, and the loader below still finds the implementation.
import type * as pulumi from "@pulumi/pulumi";
import type { RegistryEndpointProviderMethods } from "./lookup-types";

/**
 * Absolute path of the compiled provider entry (provider/index.js), captured by value when the object is serialized
 * as code. Used only when the package cannot be resolved by name from the provider host's cwd (a program inside this
 * repository, or one that loads the package through a relative path): the dynamic-provider host evaluates
 * `__provider` with require-from-string, whose module search paths start at the process cwd.
 */
const PROVIDER_MODULE_FILE: string = `${__dirname}/index.js`;

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
 * The `pulumi.dynamic.ResourceProvider` behind `RegistryEndpoint`. Each method `require()`s the implementation
 * inside its body, so even when serialized as code the closure holds only these stubs and a module path, and no
 * Harbor setting: those come from `configure()` (stack config `harbor:*` or the `HARBOR_*` environment) in the
 * provider process.
 */
const registryEndpointProvider: pulumi.dynamic.ResourceProvider = {
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

export = registryEndpointProvider;

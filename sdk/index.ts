// Package entry point ("pulumi-harbor-endpoints"): re-exports the RegistryEndpoint resource, the lookups and their types.
export { RegistryEndpoint } from "./registry-endpoint";
export type { ConnectionTestMode, RegistryEndpointArgs, RegistryEndpointGetState, RegistryProviderAlias, RegistryProviderType } from "./types";
export { getRegistryEndpoint, getRegistryEndpointOutput } from "./lookup";
export type {
  GetRegistryEndpointArgs,
  GetRegistryEndpointOutputArgs,
  RegistryEndpointLookup,
  RegistryEndpointLookupOptions,
  RegistryEndpointLookupOutputOptions,
} from "./lookup";

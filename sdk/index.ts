// Package entry point ("pulumi-harbor-endpoints"): re-exports the RegistryEndpoint resource and its types.
export { RegistryEndpoint } from "./registry-endpoint";
export type { ConnectionTestMode, RegistryEndpointArgs, RegistryProviderAlias, RegistryProviderType } from "./types";

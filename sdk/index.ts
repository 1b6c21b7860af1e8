// Package entry point ("pulumi-harbor-endpoints"): re-exports the RegistryEndpoint resource and its types.
export { RegistryEndpoint } from "./registry-endpoint";
export type { ConnectionTestMode, RegistryEndpointArgs, RegistryEndpointGetState, RegistryProviderAlias, RegistryProviderType } from "./types";

// Package entry point "pulumi-harbor-endpoints/policy": the CrossGuard rules for RegistryEndpoint, alone and as a set.
export { registryEndpointPolicies } from "./policies";
export { harborEndpointTlsVerified, type TlsVerifiedConfig } from "./rules/tls-verified";
export { harborEndpointHttps, DEFAULT_HTTPS_EXEMPT_HOSTS, type HttpsConfig } from "./rules/https";
export { harborEndpointAllowedTypes, type AllowedTypesConfig } from "./rules/allowed-types";
export { harborEndpointAllowedHosts, type AllowedHostsConfig } from "./rules/allowed-hosts";
export { harborEndpointDockerHubCredentials } from "./rules/docker-hub-credentials";
export { harborEndpointConnectionTestEnabled } from "./rules/connection-test-enabled";
export { harborEndpointNamePattern, type NamePatternConfig } from "./rules/name-pattern";
export { harborEndpointCaCertificateValid, type CaCertificateValidConfig } from "./rules/ca-certificate-valid";
export { harborEndpointsUniqueTarget } from "./rules/unique-target";
export { EndpointValueUnknownError, REGISTRY_ENDPOINT_TYPE } from "./endpoint";

// The public shapes of the provider entry point and getRegistryEndpoint: plain TypeScript (no zod), shared by the SDK
// and the implementation.

import type * as pulumi from "@pulumi/pulumi";

/**
 * What `registryEndpointProviderImplementation()` of `pulumi-harbor-endpoints/provider` returns: the provider
 * methods the dynamic-provider host calls, plus `close()`. A plain public view of the implementation, so the
 * shipped declarations stay free of the Harbor client and zod.
 */
export type RegistryEndpointProviderMethods = Required<
  Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">
> & {
  /** Closes every Harbor client's connections. */
  close(): Promise<void>;
};

/** What to look up: an endpoint by its exact name on one Harbor connection. */
export interface RegistryEndpointLookupRequest {
  /** The endpoint's exact name in Harbor (case-sensitive; spaces, `%`, `,`, `~` and the like are matched literally). */
  name: string;
  /**
   * The Harbor connection to search: a key of the stack config `harbor:connections` (or of `HARBOR_CONNECTIONS`), or
   * `"default"` for `harbor:url`/`harbor:username`/`harbor:password`. Default: `"default"`.
   */
  connection?: string;
}

/** Options of a lookup. */
export interface RegistryEndpointLookupOptions {
  /** Time allowed for each request to Harbor, in milliseconds. Default: 30000. */
  timeoutMs?: number;
}

/** A registry endpoint as Harbor stores it, found by name; never carries a secret (Harbor never returns one). */
export interface RegistryEndpointLookup {
  /** Harbor's numeric registry id, for replication policies and proxy-cache projects (`registry_id`). */
  registryId: number;
  /** The endpoint's name in Harbor. */
  name: string;
  /** Harbor's provider type (`Registry.type`), e.g. `docker-hub` or `harbor`. */
  providerName: string;
  /** The remote's URL as Harbor stores it. */
  endpointUrl: string;
  /** The description, when Harbor has one. */
  description?: string;
  /** The access id (user name, robot name, AWS access key id …), when a credential is stored. */
  accessId?: string;
  /** Whether Harbor skips TLS verification of the remote. */
  insecure: boolean;
  /** The PEM bundle Harbor trusts for the remote, when set (Harbor ≥ 2.15). */
  caCertificate?: string;
  /** Harbor's last known health of the remote: `healthy`, `unhealthy`, or `unknown` before Harbor has checked it. */
  status: string;
  /** When Harbor created the endpoint (RFC 3339). */
  creationTime: string;
  /** When Harbor last changed the endpoint (RFC 3339). */
  updateTime: string;
}

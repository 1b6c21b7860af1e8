// The public input types of RegistryEndpoint, plain TypeScript; sdk/schema-agreement.ts checks them against the zod schema.
import type * as pulumi from "@pulumi/pulumi";
// Only the zod-free vocabulary: these declarations ship to users, whose tsconfig may not read zod's (see vocabulary.ts).
import type { ConnectionTestMode, RegistryProviderAlias, RegistryProviderType } from "../provider/registry-endpoint/vocabulary";

export type { ConnectionTestMode, RegistryProviderAlias, RegistryProviderType };

/** The arguments of a {@link RegistryEndpoint}: one Harbor registry endpoint (Administration → Registries). */
export interface RegistryEndpointArgs {
  /**
   * Harbor's provider type (`Registry.type`): `harbor`, `docker-hub`, `docker-registry`, `aws-ecr`, `azure-acr`,
   * `ali-acr`, `google-gcr`, `huawei-SWR`, `helm-hub`, `gitlab`, `quay`, `jfrog-artifactory`, `github-ghcr`,
   * `tencent-tcr`, `volcengine-cr` or `dtr`. The Terraform/pulumiverse aliases `aws`, `azure`, `alibaba`, `google`,
   * `huawei`, `helm`, `jfrog`, `github` and `quay-io` are accepted and mapped to these. `helm-hub` (alias `helm`)
   * works only on Harbor 2.7 and older: Harbor v2.8.0 removed the adapter (with ChartMuseum), and on newer Harbors
   * the preview's connection test fails naming `providerName` and that version. Terraform's `artifact-hub` (an
   * adapter removed in the same release) is refused by name.
   *
   * Required. A change **replaces** the endpoint (Harbor cannot change a type), deleting the old one first because
   * Harbor names are unique. Harbor field: `type`.
   */
  providerName: pulumi.Input<RegistryProviderType | RegistryProviderAlias>;
  /**
   * The endpoint's name in Harbor: 1–64 bytes in UTF-8 (Harbor counts bytes, not characters: a non-ASCII character
   * takes 2 to 4), no control or bidirectional characters, unique per Harbor and case-sensitive. Two
   * RegistryEndpoints of one program with one name on one Harbor fail `pulumi preview`, naming both.
   *
   * Default: the resource's logical name, without a random suffix (endpoint names are user-facing). A change
   * renames the endpoint in place. Harbor field: `name`.
   */
  name?: pulumi.Input<string>;
  /** Free text shown in Harbor's UI. Default: none. A change updates in place. Harbor field: `description`. */
  description?: pulumi.Input<string>;
  /**
   * The remote registry's URL, with an explicit `http://` or `https://`. Normalised exactly as Harbor stores it
   * (surrounding spaces and trailing `/` trimmed; query, fragment and user-info dropped), so it never shows a
   * permanent diff. Required unless the type's endpoint is fixed: `docker-hub` (`https://hub.docker.com`) and
   * `github-ghcr` (`https://ghcr.io`) are filled in. A change updates in place and re-sends `accessSecret`.
   * Harbor field: `url`.
   */
  endpointUrl?: pulumi.Input<string>;
  /**
   * The access id (user name, robot name, AWS access key id, `_json_key` for google-gcr, `json_file` for quay).
   * Default: none (anonymous; for aws-ecr, Harbor's own IAM role). A change updates in place; removing it removes
   * the whole credential. Harbor field: `credential.access_key` (`access_key` on update).
   */
  accessId?: pulumi.Input<string>;
  /**
   * The access secret (password, token, AWS secret key, the whole GCR service-account JSON key, quay's JSON
   * `{account_name, docker_cli_password, oauth2_token?}`). Always stored as a Pulumi secret and never named in any
   * message. Default: none. A change updates in place; it is also re-sent whenever `endpointUrl` changes and after a
   * refresh suspected credential drift (see {@link RegistryEndpoint.credentialsDriftSuspected}). Harbor field:
   * `credential.access_secret` (`access_secret` on update); Harbor only ever answers `*****`.
   */
  accessSecret?: pulumi.Input<string>;
  /**
   * Skip TLS verification of the remote registry (the UI's "Verify Remote Cert" unchecked). Default: `false`
   * (verified). Ignored by Harbor when `caCertificate` is set. A change updates in place. Harbor field: `insecure`.
   */
  insecure?: pulumi.Input<boolean>;
  /**
   * PEM bundle Harbor trusts for the remote registry (for self-signed or private CAs). Validated locally; needs
   * Harbor 2.15 or newer (a clear error otherwise). Default: none. A change updates in place; removing it clears it.
   * Harbor field: `ca_certificate`.
   */
  caCertificate?: pulumi.Input<string>;
  /**
   * Take over an existing Harbor endpoint of the same name on create and bring it to the desired state, instead of
   * failing with "already exists" (dynamic providers cannot use `pulumi import`; `harbor-endpoints generate` writes
   * these declarations for a whole Harbor). Only the fields that differ from Harbor's record are written; without
   * `accessSecret` the secret Harbor holds is kept, and an adoption that would also change `endpointUrl` then fails
   * (Harbor does not keep a secret across a URL change). Default: `false`. Only read on create; a change updates
   * state only. Not sent to Harbor. Adoption is refused for an endpoint another RegistryEndpoint of the same stack
   * manages; adopt only what no other stack or tool manages either: an endpoint with two owners is deleted when
   * either deletes it.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * When `pulumi preview`/`up` runs Harbor's connection test (`POST /registries/ping`) during check:
   * `"onChange"` (new endpoint or a changed connection field), `"always"`, or `"never"`. Default: the stack's
   * `harbor:connectionTest` (env `HARBOR_CONNECTION_TEST`), else `"onChange"`. A change updates state only. Not
   * sent to Harbor.
   */
  connectionTest?: pulumi.Input<ConnectionTestMode>;
  /**
   * The name of the Harbor connection this endpoint lives on: a key of the stack config `harbor:connections` (or of the
   * `HARBOR_CONNECTIONS` JSON), or `"default"` for the `harbor:url`/`harbor:username`/`harbor:password` settings. Only
   * the name is stored: the connection's URL and credentials stay in stack config. An unknown name fails `check`,
   * listing the configured names. Default: `"default"`.
   *
   * A change **replaces** the endpoint: it is created on the new Harbor first and then deleted from the old one (names
   * are unique per Harbor, not across Harbors); when both names lead to the same Harbor URL, the old one is deleted
   * first, as for `providerName`. Not sent to Harbor.
   */
  connection?: pulumi.Input<string>;
}

/** What {@link RegistryEndpoint.get} needs besides the id. */
export interface RegistryEndpointGetState {
  /** The Harbor connection to read from (a key of `harbor:connections`). Default: `"default"`. */
  connection?: pulumi.Input<string>;
}

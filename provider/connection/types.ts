// Public types of the connection tests: what is tested, what a test may use, and one reason it failed.
import type { HarborClient } from "../harbor/client";

/** The endpoint whose connection is tested, with the resource's camelCase input names (already normalised by check). */
export interface ConnectionTarget {
  /** The endpoint's `name`, used in every reason so a preview of many endpoints says which one failed. */
  name: string;
  /** Harbor's adapter type (`docker-registry`, `aws-ecr`, …), aliases already mapped. */
  providerName: string;
  /** The normalised endpoint URL. */
  endpointUrl: string;
  /** Access ID (user name, AWS access key id, `_json_key`, `json_file`, …). */
  accessId?: string;
  /** Access secret; never appears in any reason. */
  accessSecret?: string;
  /** Skip TLS verification of the remote (ignored when `caCertificate` is set, as in Harbor). */
  insecure: boolean;
  /** PEM CA bundle trusted for the remote's TLS certificate. */
  caCertificate?: string;
}

/** What a connection test may use. */
export interface ConnectionContext {
  /** The Harbor client; only `pingRegistry` is used. */
  harbor: Pick<HarborClient, "pingRegistry">;
  /** Time budget of each local probe request (default 5000 ms). */
  probeTimeoutMs?: number;
  /** Endpoint of the AWS ECR API used for `GetAuthorizationToken` (tests point it at moto); default: AWS's regional endpoint. */
  ecrEndpoint?: string;
  /**
   * Fixed internet origins the local diagnosis would contact (`https://hub.docker.com`, `https://ghcr.io`, …) mapped to
   * reachable origins, for tests; the same idea as the simulator's `remoteOverrides`.
   */
  remoteOverrides?: Record<string, string>;
  /**
   * Run the local diagnosis from this machine when Harbor reports a failure (default true). With false, Harbor's verdict
   * is reported as is and nothing but Harbor is contacted (e.g. a runner that must not open connections to remotes).
   */
  localDiagnosis?: boolean;
}

/** One reason a connection test failed, naming the input at fault. */
export interface ConnectionFailure {
  /** The input key at fault (`endpointUrl`, `accessId`, `accessSecret`, `caCertificate`, `insecure`, `providerName`, `name`). */
  property: string;
  /** One sentence naming the endpoint and the field and saying what to do; never a secret. */
  reason: string;
}

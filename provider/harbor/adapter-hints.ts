// What Harbor's 500 and 400 "unhealthy" answers to registry writes mean for each adapter type (semantics.md §6):
// a 500 is a failing adapter factory, and some factories contact the remote before any health check.

/** Hosts that Harbor's fixed-host adapters always contact, whatever the stored URL says. */
export const FIXED_HOSTS: Readonly<Record<string, string>> = {
  "docker-hub": "registry-1.docker.io and auth.docker.io (and hub.docker.com to log in when credentials are set)",
  "github-ghcr": "ghcr.io",
};

/** Harbor releases that removed an adapter type: creating or pinging one is a 500 ("adapter factory not found"). */
export const REMOVED_ADAPTER_TYPES: Readonly<Record<string, string>> = { "helm-hub": "v2.8.0", "artifact-hub": "v2.8.0" };

const CORE_LOG = "the Harbor core log has the cause under this request id";

/** Why Harbor's factory for `type` answers 500, one clause without a final period. */
export function adapterSetupHint(type: string | undefined): string {
  switch (type) {
    case undefined:
      return `Harbor answers 500 when it cannot set up the endpoint's adapter; for docker-hub, harbor, gitlab, ali-acr, tencent-tcr and volcengine-cr that includes failing to reach or log in to the remote; ${CORE_LOG}`;
    case "docker-hub":
      return `Harbor answers 500 when its docker-hub adapter cannot log in at https://hub.docker.com with accessId and accessSecret: Docker Hub rejected them, or Harbor cannot reach hub.docker.com; ${CORE_LOG}`;
    case "harbor":
      return `Harbor answers 500 when its harbor adapter cannot read /api/version of endpointUrl: the remote Harbor is unreachable from Harbor, or endpointUrl is not a Harbor; ${CORE_LOG}`;
    case "gitlab":
    case "ali-acr":
    case "volcengine-cr":
      return `Harbor answers 500 when its ${type} adapter cannot read the registry's token challenge from /v2/ of endpointUrl (unreachable from Harbor, or not a ${type} registry); ${CORE_LOG}`;
    case "tencent-tcr":
      return `Harbor answers 500 when its tencent-tcr adapter cannot be set up: accessId must start with AKID or IKID, endpointUrl must be a *.tencentcloudcr.com host, and Harbor must reach it; ${CORE_LOG}`;
    case "aws-ecr":
      return `Harbor answers 500 when its aws-ecr adapter cannot be set up: endpointUrl must match https://api.ecr.<region>.amazonaws.com or https://<account>.dkr.ecr.<region>.amazonaws.com; ${CORE_LOG}`;
    case "quay":
      return `Harbor answers 500 when its quay adapter cannot read accessSecret, which must be the JSON {"account_name","docker_cli_password","oauth2_token"}; ${CORE_LOG}`;
    default:
      if (REMOVED_ADAPTER_TYPES[type]) return `Harbor ${REMOVED_ADAPTER_TYPES[type]} and later have no ${type} adapter, so it answers 500; use another type`;
      return `Harbor's ${type} adapter contacts nothing while it is set up, so this 500 is Harbor's own failure; ${CORE_LOG}`;
  }
}

/**
 * The advice for an error answer to `POST /registries`, `PUT /registries/{id}` or `POST /registries/ping` of a
 * registry of `type` (undefined when the request does not carry it), or undefined for the default advice.
 */
export function registryWriteHint(type: string | undefined): (status: number, code: string, messages: readonly string[]) => string | undefined {
  return (status, _code, messages) => {
    if (status === 500) return adapterSetupHint(type);
    const unhealthy = status === 400 && messages.join(" ").toLowerCase().includes("unhealthy");
    if (unhealthy && type !== undefined && FIXED_HOSTS[type]) {
      return `Harbor's ${type} adapter always contacts ${FIXED_HOSTS[type]}, whatever endpointUrl says; check that Harbor's own network reaches those hosts, and accessId/accessSecret`;
    }
    return undefined;
  };
}

// Docker Hub diagnosis: Harbor logs in at hub.docker.com and health-checks registry-1.docker.io, whatever endpointUrl says.
import { connectionFailure, endpointLabel } from "./failure";
import { HARBOR_SIDE } from "./harbor-ping";
import { createProbeAgent, probe, type ProbeOptions } from "./http-probe";
import { type HarborSaid, remoteWorksFromHere } from "./native-probe";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** Where Harbor's dockerhub adapter sends the login (hard-coded in Harbor). */
export const DOCKER_HUB_LOGIN_URL = "https://hub.docker.com/v2/auth/token";
/** The registry Harbor's dockerhub health check pings (hard-coded in Harbor). */
export const DOCKER_HUB_REGISTRY_URL = "https://registry-1.docker.io/v2/";

/**
 * Explains why Harbor found a docker-hub endpoint unhealthy (or could not log in while building its adapter). Harbor's
 * adapter ignores endpointUrl, so a host that cannot be reached is reported as Harbor's egress problem, never as
 * endpointUrl (which the program usually leaves out).
 */
export async function diagnoseDockerHub(target: ConnectionTarget, harbor: HarborSaid, options: ProbeOptions): Promise<ConnectionFailure> {
  const label = endpointLabel(target);
  const f = (property: string, reason: string) => connectionFailure(target, property, reason);
  const id = target.accessId ?? "";
  const secret = target.accessSecret ?? "";
  // Docker Hub's certificates are public: the endpoint's own CA/insecure settings do not apply to these fixed hosts.
  const agent = createProbeAgent({ ...options, insecure: false, caCertificate: undefined });
  try {
    let loggedIn = false;
    if (id !== "" || secret !== "") {
      const login = await probe(agent, DOCKER_HUB_LOGIN_URL, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ identifier: id, secret }),
        timeoutMs: options.timeoutMs,
        remoteOverrides: options.remoteOverrides,
      });
      if (login.kind !== "response") {
        return f(HARBOR_SIDE, `${harbor.summary} for ${label}, and hub.docker.com is unreachable from here too (${login.kind === "timeout" ? "timeout" : login.code}); this machine and probably Harbor are offline or lack egress to Docker Hub${harbor.note}.`);
      }
      if (login.status === 401 || login.status === 403) {
        return f("accessSecret", `${harbor.summary} for ${label}: Docker Hub rejected the login (${login.status}); set accessId to the Docker Hub user name and accessSecret to its password or a personal access token${harbor.note}.`);
      }
      if (login.status === 429) {
        return f("accessId", `${harbor.summary} for ${label}: Docker Hub is rate-limiting logins (429); retry later${harbor.note}.`);
      }
      loggedIn = login.status >= 200 && login.status < 300;
    }
    const ping = await probe(agent, DOCKER_HUB_REGISTRY_URL, { timeoutMs: options.timeoutMs, remoteOverrides: options.remoteOverrides });
    if (ping.kind !== "response") {
      return f(HARBOR_SIDE, `${harbor.summary} for ${label}, and registry-1.docker.io is unreachable from here too (${ping.kind === "timeout" ? "timeout" : ping.code}); Harbor needs egress to registry-1.docker.io, auth.docker.io and hub.docker.com${harbor.note}.`);
    }
    return remoteWorksFromHere(target, harbor, `Docker Hub is reachable${loggedIn ? " and accepted the login" : ""}`, "registry-1.docker.io or hub.docker.com", HARBOR_SIDE);
  } finally {
    await agent.close().catch(() => undefined);
  }
}

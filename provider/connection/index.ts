// Preview-time connection tests: Harbor's own Test Connection, then a local diagnosis naming the field at fault.
import { diagnoseAwsEcr } from "./aws-ecr";
import { diagnoseDockerHub } from "./docker-hub";
import { diagnoseGithubGhcr } from "./github-ghcr";
import { REMOVED_ADAPTER_TYPES } from "../harbor/adapter-hints";
import { connectionFailure, displayOrigin, endpointLabel } from "./failure";
import { diagnoseGoogleGcr } from "./google-gcr";
import { pingHarbor, requestIdNote, type HarborVerdict } from "./harbor-ping";
import { createProbeAgent, DEFAULT_PROBE_TIMEOUT_MS, probe, type ProbeOptions } from "./http-probe";
import { explainNativeOutcome, probeRegistryV2, type HarborSaid, type ProbeCredentials } from "./native-probe";
import { precheckTarget } from "./pre-checks";
import { quayProbeCredentials } from "./quay";
import type { ConnectionContext, ConnectionFailure, ConnectionTarget } from "./types";

export type { ConnectionContext, ConnectionFailure, ConnectionTarget } from "./types";
export type { HarborVerdict } from "./harbor-ping";

// Adapter types whose factory Harbor removed (v2.8): creating or pinging one is a 500 "adapter factory not found".
const REMOVED_TYPES = REMOVED_ADAPTER_TYPES;

/**
 * Tests an endpoint's connection the way Harbor will on create/update: network-free shape checks first (returned
 * without any request), then Harbor's `POST /registries/ping` from Harbor's own network. When Harbor says unhealthy
 * (or cannot build its adapter, or times out), a local diagnosis from this machine finds the field at fault.
 * Local probes send credentials only to the endpoint's own host and have short timeouts.
 *
 * @returns an empty array when Harbor reports the endpoint healthy, else exactly one failure naming the input at fault.
 */
export async function testConnection(target: ConnectionTarget, ctx: ConnectionContext): Promise<ConnectionFailure[]> {
  const shapeFailures = precheckTarget(target);
  if (shapeFailures.length > 0) return shapeFailures;
  return explainVerdict(target, ctx, await pingHarbor(target, ctx));
}

/**
 * Turns Harbor's verdict on an endpoint into what `testConnection` reports: nothing when healthy, else one failure, from
 * the local diagnosis when Harbor's answer alone cannot name the field. Also used when Harbor's own health check on
 * `POST`/`PUT /registries` refuses an endpoint that no ping tested in this process (the update phase of `pulumi up`).
 */
export async function explainVerdict(target: ConnectionTarget, ctx: Omit<ConnectionContext, "harbor">, verdict: HarborVerdict): Promise<ConnectionFailure[]> {
  if (verdict.kind === "healthy") return [];
  if (verdict.kind === "failure") return [verdict.failure];
  const said = harborSaid(verdict, target);
  if (ctx.localDiagnosis === false) return [undiagnosed(target, said, "the local diagnosis is turned off")];
  try {
    return [await diagnose(target, ctx, said, verdict)];
  } catch {
    // A diagnosis that breaks must not hide Harbor's verdict.
    return [undiagnosed(target, said, "the local diagnosis could not run")];
  }
}

// Adapter types whose factory contacts the remote before any health check (semantics.md §6): for them a 500 can mean
// Harbor cannot reach it; for the others Harbor's 500 is Harbor's own failure.
const FACTORY_CONTACTS_REMOTE = new Set(["harbor", "docker-hub", "ali-acr", "gitlab", "tencent-tcr", "volcengine-cr"]);

function harborSaid(verdict: Exclude<HarborVerdict, { kind: "healthy" | "failure" }>, target: ConnectionTarget): HarborSaid {
  switch (verdict.kind) {
    case "unhealthy":
      return { summary: "Harbor's connection test failed", note: requestIdNote(verdict.requestId) };
    case "adapter-error":
      return {
        summary: "Harbor could not set up its adapter (500)",
        note: requestIdNote(verdict.requestId),
        harborFailure: FACTORY_CONTACTS_REMOTE.has(target.providerName) ? undefined : "Harbor answered 500 while setting up its adapter",
      };
    case "timeout": {
      const summary = `Harbor's connection test did not finish within ${Math.round(verdict.timeoutMs / 1000)} s`;
      return { summary, note: requestIdNote(verdict.requestId), harborFailure: summary };
    }
  }
}

function undiagnosed(target: ConnectionTarget, said: HarborSaid, why: string): ConnectionFailure {
  return connectionFailure(target, "endpointUrl", `${said.summary} for ${endpointLabel(target)} and ${why}; check endpointUrl, accessId and accessSecret${said.note}.`);
}

async function diagnose(
  target: ConnectionTarget,
  ctx: Omit<ConnectionContext, "harbor">,
  said: HarborSaid,
  verdict: Exclude<HarborVerdict, { kind: "healthy" | "failure" }>,
): Promise<ConnectionFailure> {
  const timeoutMs = ctx.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const options: ProbeOptions = { insecure: target.insecure, caCertificate: target.caCertificate, timeoutMs, remoteOverrides: ctx.remoteOverrides };
  const label = endpointLabel(target);
  switch (target.providerName) {
    case "aws-ecr":
      return diagnoseAwsEcr(target, said, { endpoint: ctx.ecrEndpoint, timeoutMs });
    case "google-gcr":
      return diagnoseGoogleGcr(target, said, timeoutMs);
    case "docker-hub":
      return diagnoseDockerHub(target, said, options);
    case "github-ghcr":
      return diagnoseGithubGhcr(target, said, options, nativeCredentials(target));
    case "huawei-SWR":
      // Harbor's huawei adapter reports healthy without any network; nothing here can explain otherwise.
      return undiagnosed(target, said, "Harbor's huawei-SWR adapter never contacts the remote, so nothing can be checked from here");
    case "quay":
      return diagnoseNative(target, said, options, quayProbeCredentials(target));
    default:
      if (verdict.kind === "adapter-error" && REMOVED_TYPES[target.providerName]) {
        return connectionFailure(target, "providerName", `Harbor has no adapter for providerName "${target.providerName}" of ${label} (removed in Harbor ${REMOVED_TYPES[target.providerName]}); use another type${said.note}.`);
      }
      return diagnoseNative(target, said, options, nativeCredentials(target));
  }
}

function nativeCredentials(target: ConnectionTarget): ProbeCredentials | undefined {
  const username = target.accessId ?? "";
  const password = target.accessSecret ?? "";
  // Harbor's native health check uses PingSimple (no login) when both are empty.
  return username === "" && password === "" ? undefined : { username, password };
}

async function diagnoseNative(target: ConnectionTarget, said: HarborSaid, options: ProbeOptions, credentials: ProbeCredentials | undefined): Promise<ConnectionFailure> {
  const outcome = await probeRegistryV2(target.endpointUrl, credentials, options);
  if (outcome.kind === "accepted" && target.providerName === "harbor") {
    const notHarbor = await checkHarborApiVersion(target, said, options);
    if (notHarbor) return notHarbor;
  }
  return explainNativeOutcome(target, target.endpointUrl, outcome, said, options.timeoutMs);
}

// Harbor's harbor adapter first reads {url}/api/version (404 = Harbor 1.x); any other failure is its 500.
async function checkHarborApiVersion(target: ConnectionTarget, said: HarborSaid, options: ProbeOptions): Promise<ConnectionFailure | undefined> {
  const agent = createProbeAgent(options);
  try {
    const url = `${target.endpointUrl.replace(/\/+$/, "")}/api/version`;
    const res = await probe(agent, url, { timeoutMs: options.timeoutMs, remoteOverrides: options.remoteOverrides });
    if (res.kind !== "response" || (res.status >= 200 && res.status < 300) || res.status === 404) return undefined;
    return connectionFailure(
      target,
      "endpointUrl",
      `${said.summary} for ${endpointLabel(target)}: GET /api/version on ${displayOrigin(url)} answered ${res.status}, so endpointUrl does not look like a Harbor; use Harbor's base URL, or providerName "docker-registry" for a plain registry${said.note}.`,
    );
  } finally {
    await agent.close().catch(() => undefined);
  }
}

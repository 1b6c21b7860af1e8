// AWS ECR diagnosis: Harbor's URL pattern, the access key, and a real GetAuthorizationToken call with the given keys.
import { Readable } from "node:stream";
import { connectionFailure, endpointLabel } from "./failure";
import { type HarborSaid, remoteWorksFromHere } from "./native-probe";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** Harbor's awsecr adapter regexp (src/pkg/reg/adapter/awsecr/adapter.go), not anchored, as in Harbor. */
const ECR_URL = /https:\/\/(?:api|(\d+)\.dkr)\.ecr(?:-public|-fips)?\.([\w-]+)\.(amazonaws\.com(\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov)/;

/** Region and account Harbor derives from an ECR endpoint URL, or undefined when Harbor rejects it ("bad aws url"). */
export function parseEcrUrl(url: string): { region: string; accountId?: string } | undefined {
  const m = ECR_URL.exec(url);
  if (!m) return undefined;
  return { region: m[2]!, accountId: m[1] };
}

/** What AWS said to GetAuthorizationToken with the target's keys. */
export type EcrKeyCheck =
  | { kind: "accepted" }
  | { kind: "rejected"; property: "accessId" | "accessSecret"; error: string }
  | { kind: "unreachable"; error: string };

// AWS error names meaning the key id is unknown/inactive vs. the secret does not match it.
const BAD_KEY_ID = new Set(["UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure"]);
const BAD_SECRET = new Set(["InvalidSignatureException", "SignatureDoesNotMatch"]);

/**
 * Calls ECR `GetAuthorizationToken` with the target's static keys in the region of its URL, once, with short timeouts.
 * `endpoint` overrides AWS's regional endpoint (tests point it at moto).
 */
export async function checkEcrKeys(
  target: ConnectionTarget,
  region: string,
  options: { endpoint?: string; timeoutMs: number },
): Promise<EcrKeyCheck> {
  // Loaded on first use: the AWS SDK costs tens of MB of the provider process's memory, and only ECR endpoints need it.
  const { ECRClient, GetAuthorizationTokenCommand } = require("@aws-sdk/client-ecr") as typeof import("@aws-sdk/client-ecr");
  const client = new ECRClient({
    region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: target.accessId ?? "", secretAccessKey: target.accessSecret ?? "" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs },
  });
  const captured: { body?: string } = {};
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const res = out.response as { statusCode?: number; body?: unknown };
      if ((res.statusCode ?? 0) >= 400 && isAsyncIterable(res.body)) {
        const chunks: Buffer[] = [];
        for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Uint8Array));
        const raw = Buffer.concat(chunks);
        captured.body = raw.toString("utf8").slice(0, 4096);
        res.body = Readable.from([raw]);
      }
      return out;
    },
    // Innermost deserialize middleware: sees the raw error body, because AWS look-alikes (moto) answer auth errors in XML.
    { step: "deserialize", priority: "low", name: "captureEcrErrorBody" },
  );
  try {
    await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: AbortSignal.timeout(options.timeoutMs * 2) });
    return { kind: "accepted" };
  } catch (e) {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const fromBody = awsErrorFromBody(captured.body);
    const name = (fromBody?.name ?? err.name) || "Error";
    const message = (fromBody ? fromBody.message : (err.message ?? "")).replace(/\s+/g, " ").replace(/\.\s*$/, "").slice(0, 200);
    const error = message && message !== name ? `${name}: ${message}` : name;
    if (err.$metadata?.httpStatusCode === undefined) return { kind: "unreachable", error };
    if (BAD_SECRET.has(name)) return { kind: "rejected", property: "accessSecret", error };
    if (BAD_KEY_ID.has(name)) return { kind: "rejected", property: "accessId", error };
    return { kind: "rejected", property: "accessId", error };
  } finally {
    client.destroy();
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** AWS's error name and message from a JSON (`__type`) or XML (`<Code>`) error body; undefined when neither. */
export function awsErrorFromBody(body: string | undefined): { name: string; message: string } | undefined {
  if (!body) return undefined;
  try {
    const json = JSON.parse(body) as { __type?: unknown; message?: unknown; Message?: unknown };
    if (typeof json.__type === "string") {
      const msg = typeof json.message === "string" ? json.message : typeof json.Message === "string" ? json.Message : "";
      return { name: json.__type.replace(/^.*#/, ""), message: msg };
    }
  } catch {
    // not JSON
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  if (!code) return undefined;
  return { name: code, message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? "" };
}

/** Explains why Harbor found an aws-ecr endpoint unhealthy (or could not build its adapter). */
export async function diagnoseAwsEcr(
  target: ConnectionTarget,
  harbor: HarborSaid,
  options: { endpoint?: string; timeoutMs: number },
): Promise<ConnectionFailure> {
  const label = endpointLabel(target);
  const f = (property: string, reason: string) => connectionFailure(target, property, reason);
  const parsed = parseEcrUrl(target.endpointUrl);
  if (!parsed) {
    return f("endpointUrl", `${harbor.summary} for ${label}: endpointUrl does not match Harbor's ECR pattern ("bad aws url"); use https://api.ecr.<region>.amazonaws.com or https://<account>.dkr.ecr.<region>.amazonaws.com${harbor.note}.`);
  }
  if ((target.accessId ?? "") === "") {
    return f("accessId", `${harbor.summary} for ${label}: with an empty accessId Harbor authenticates with its own AWS identity (IAM role or default credential chain), which cannot be checked from here; give Harbor's role ecr:GetAuthorizationToken in ${parsed.region} and egress to AWS, or set accessId and accessSecret${harbor.note}.`);
  }
  const result = await checkEcrKeys(target, parsed.region, options);
  switch (result.kind) {
    case "rejected": {
      // Harbor builds static credentials without a session token, so temporary (ASIA…) keys can never work there.
      const advice = (target.accessId ?? "").startsWith("ASIA")
        ? "accessId (an ASIA… key is temporary and needs a session token Harbor cannot store; use an IAM user's AKIA… key)"
        : result.property === "accessSecret"
          ? "accessSecret (the secret access key of accessId)"
          : "accessId (an active access key allowed to call ecr:GetAuthorizationToken)";
      return f(result.property, `${harbor.summary} for ${label}: AWS rejected the key in ${parsed.region} (${result.error}); check ${advice}${harbor.note}.`);
    }
    case "unreachable":
      return f("endpointUrl", `${harbor.summary} for ${label}, and the ECR API of ${parsed.region} is unreachable from here too (${result.error}); check network access to AWS${harbor.note}.`);
    case "accepted":
      return remoteWorksFromHere(target, harbor, `AWS accepted the key (GetAuthorizationToken in ${parsed.region})`, "AWS");
  }
}

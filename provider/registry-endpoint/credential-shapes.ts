// Provider-specific credential shape rules (GCR, Quay, ECR, TCR, and Harbor's "no key, no credential"), pure and offline.
import { z } from "zod";

/** What `checkCredentialShape` looks at; `providerName` is Harbor's type string (aliases already mapped). */
export interface CredentialShapeInput {
  providerName: string;
  accessId?: string;
  accessSecret?: string;
  endpointUrl?: string;
}

/** One shape problem, naming the input key; the reason never contains the secret or any part of it. */
export interface CredentialShapeFailure {
  property: string;
  reason: string;
}

/** Google's service-account key file, the only secret Harbor's google-gcr adapter understands (`_json_key` login). */
const gcrServiceAccountKeySchema = z.looseObject({
  type: z.literal("service_account"),
  client_email: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY"),
});

/** Quay's adapter parses the secret as this JSON (adapter/quay); any other text makes Harbor answer 500. */
const quaySecretSchema = z.looseObject({
  account_name: z.string().min(1),
  docker_cli_password: z.string().min(1),
  oauth2_token: z.string().optional(),
});

/** AWS access key ids: 4-letter prefix (AKIA long-term, ASIA temporary, …) + 16 upper-case alphanumerics. */
const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/;

/** Harbor's awsecr adapter URL regexp (not anchored in Harbor, so neither here); a mismatch is a 500 "bad aws url". */
const AWS_ECR_URL = /https:\/\/(?:api|(\d+)\.dkr)\.ecr(?:-public|-fips)?\.([\w-]+)\.(amazonaws\.com(\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov)/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Checks the credential shape a provider type requires, without any network access. Absent fields are not checked
 * for content, only for the combinations Harbor accepts.
 */
export function checkCredentialShape(input: CredentialShapeInput): CredentialShapeFailure[] {
  const failures: CredentialShapeFailure[] = [];
  const id = input.accessId ?? "";
  const secret = input.accessSecret ?? "";
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  switch (input.providerName) {
    case "google-gcr": {
      // Harbor's GCR health check reports unhealthy whenever the key or the secret is empty.
      if (id !== "_json_key") fail("accessId", 'must be "_json_key" for google-gcr (the secret is a service-account JSON key)');
      if (secret === "") {
        fail("accessSecret", "must be set for google-gcr: paste the whole service-account JSON key");
      } else if (!gcrServiceAccountKeySchema.safeParse(parseJson(secret)).success) {
        fail("accessSecret", 'must be a Google service-account JSON key (an object with type "service_account", client_email and private_key)');
      }
      return failures;
    }
    case "quay": {
      if (id === "" && secret === "") return failures;
      if (id !== "json_file") fail("accessId", 'must be "json_file" for quay when a credential is given');
      if (secret === "") {
        fail("accessSecret", 'must be set for quay when accessId is "json_file": a JSON object {account_name, docker_cli_password, oauth2_token?}');
      } else if (!quaySecretSchema.safeParse(parseJson(secret)).success) {
        fail("accessSecret", "must be a JSON object with string fields account_name and docker_cli_password (and optionally oauth2_token)");
      }
      return failures;
    }
    case "aws-ecr": {
      // An empty key makes Harbor use its own AWS credential chain (IAM role), so both-empty is valid.
      if (id === "" && secret !== "") fail("accessId", "must be set when accessSecret is set for aws-ecr (leave both empty to use Harbor's IAM role)");
      if (id !== "" && !AWS_ACCESS_KEY_ID.test(id)) fail("accessId", "must be an AWS access key id (20 characters such as AKIA… or ASIA…), not a user name");
      if (id !== "" && secret === "") fail("accessSecret", "must be set when accessId is set for aws-ecr (the AWS secret access key)");
      if (input.endpointUrl !== undefined && !AWS_ECR_URL.test(input.endpointUrl)) {
        fail("endpointUrl", "must be an ECR API endpoint such as https://api.ecr.<region>.amazonaws.com (Harbor rejects other URLs with \"bad aws url\")");
      }
      return failures;
    }
    case "tencent-tcr": {
      if (id !== "" && !/^(AKID|IKID)/.test(id)) fail("accessId", "must be a Tencent Cloud SecretId starting with AKID or IKID");
      break;
    }
  }
  // Harbor persists a credential only when access_key is non-empty: a secret without an id would be silently dropped.
  if (id === "" && secret !== "") fail("accessId", "must be set when accessSecret is set (Harbor drops a credential that has no access id)");
  return failures;
}

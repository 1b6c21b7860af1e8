// Builds connection-test failures: one sentence, scrubbed of every secret the target holds.
import { redact, redactUrl } from "../redact";
import type { ConnectionFailure, ConnectionTarget } from "./types";

/** Every value of the target that must never reach a reason, including the parts of a JSON secret. */
export function targetSecrets(target: ConnectionTarget): string[] {
  const secrets: string[] = [];
  const secret = target.accessSecret ?? "";
  if (secret !== "") {
    secrets.push(secret);
    try {
      const parsed: unknown = JSON.parse(secret);
      if (parsed && typeof parsed === "object") {
        for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
          // A service-account key's e-mail, project and token_uri are identifiers a person needs to read, not secrets.
          if (typeof value === "string" && value.length >= 4 && !["type", "client_email", "project_id", "token_uri", "account_name", "client_id", "auth_uri"].includes(key)) {
            secrets.push(value);
          }
        }
      }
    } catch {
      // Not JSON: the whole value is the secret.
    }
  }
  return secrets;
}

/** A failure for `property` whose reason is scrubbed of the target's secrets, URL user-info and Authorization values. */
export function connectionFailure(target: ConnectionTarget, property: string, reason: string): ConnectionFailure {
  return { property, reason: redact(reason, targetSecrets(target)) };
}

/** The origin of a URL (scheme, host, port) as shown in reasons; never user-info. */
export function displayOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return redactUrl(url);
  }
}

/** The endpoint as named in every reason. */
export function endpointLabel(target: ConnectionTarget): string {
  return `endpoint "${target.name}"`;
}

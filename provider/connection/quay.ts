// Quay: the `json_file` secret Harbor's quay adapter parses, and the registry login it contains.
import { z } from "zod";
import type { ProbeCredentials } from "./native-probe";
import type { ConnectionTarget } from "./types";

/** The JSON Harbor's quay adapter parses from the access secret (adapter/quay); anything else makes Harbor answer 500. */
export const QuaySecretSchema = z.looseObject({
  account_name: z.string().min(1),
  docker_cli_password: z.string().min(1),
  oauth2_token: z.string().optional(),
});

/** The registry login (account_name / docker_cli_password) inside a quay secret, or undefined for anonymous or malformed. */
export function quayProbeCredentials(target: ConnectionTarget): ProbeCredentials | undefined {
  const secret = target.accessSecret ?? "";
  if (secret === "") return undefined;
  try {
    const parsed = QuaySecretSchema.safeParse(JSON.parse(secret));
    return parsed.success ? { username: parsed.data.account_name, password: parsed.data.docker_cli_password } : undefined;
  } catch {
    return undefined;
  }
}

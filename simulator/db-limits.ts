// Harbor's registry table as Postgres enforces it: column sizes, NUL bytes and the encrypted secret's length (→ 500).
import type { StoredRegistry } from "./types";

/** `<enc-v1>` + standard base64 of a 16-byte IV and the AES-CFB ciphertext, as Harbor's ReversibleEncrypt stores a secret. */
export function encryptedSecretLength(secret: string): number {
  if (secret === "") return 0;
  return "<enc-v1>".length + 4 * Math.ceil((16 + Buffer.byteLength(secret, "utf8")) / 3);
}

/** Column limits of the `registry` table (migrations 0004_1.8.0 … 0190_2.16.0), in characters as varchar(n) counts them. */
export function registryColumnLimits(head: boolean): Record<string, number> {
  // access_key was widened to 4096 in HEAD (issue #23303); every released version has 255.
  return { name: 64, url: 256, credential_type: 16, access_key: head ? 4096 : 255, access_secret: 4096, type: 32 };
}

const characters = (s: string) => [...s].length;

/**
 * The Postgres error an INSERT/UPDATE of `row` would raise, or undefined. Harbor validates none of these itself (only
 * the name's 64 bytes), so each one surfaces as 500 "internal server error" after the health check; the cause is only
 * logged. Postgres text cannot hold NUL, and varchar(n) refuses more than n characters.
 */
export function registryRowError(row: Omit<StoredRegistry, "id">, head: boolean): string | undefined {
  const limits = registryColumnLimits(head);
  const columns: Record<string, string> = {
    name: row.name,
    url: row.url,
    description: row.description,
    credential_type: row.credentialType,
    access_key: row.accessKey,
    type: row.type,
    ca_certificate: row.caCertificate,
  };
  for (const [column, value] of Object.entries(columns)) {
    if (value.includes("\u0000")) return `invalid byte sequence for encoding "UTF8": 0x00 (column ${column})`;
    const limit = limits[column];
    if (limit !== undefined && characters(value) > limit) return `value too long for type character varying(${limit}) (column ${column})`;
  }
  if (encryptedSecretLength(row.accessSecret) > limits.access_secret!) {
    return `value too long for type character varying(${limits.access_secret}) (column access_secret, encrypted)`;
  }
  return undefined;
}

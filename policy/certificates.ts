// PEM bundles as the CA-certificate rule inspects them: certificates with their validity, and private keys.
import { X509Certificate } from "node:crypto";

/** One block of a PEM bundle. */
export type PemBlock =
  | { kind: "certificate"; index: number; subject: string; notBefore: Date; notAfter: Date }
  | { kind: "private-key"; index: number; label: string }
  | { kind: "invalid-certificate"; index: number }
  | { kind: "other"; index: number; label: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function shortSubject(subject: string): string {
  const lines = subject.split("\n").filter((l) => l.length > 0);
  return lines.find((l) => l.startsWith("CN=")) ?? (lines.join(", ") || "no subject");
}

/** Every PEM block of `pem` in order (1-based `index`), certificates parsed; never throws. */
export function readPemBundle(pem: string): PemBlock[] {
  return [...pem.matchAll(PEM_BLOCK)].map((m, i): PemBlock => {
    const label = m[1]!;
    const index = i + 1;
    if (label.includes("PRIVATE KEY")) return { kind: "private-key", index, label };
    if (label !== "CERTIFICATE") return { kind: "other", index, label };
    try {
      const cert = new X509Certificate(m[0]);
      return { kind: "certificate", index, subject: shortSubject(cert.subject), notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
    } catch {
      return { kind: "invalid-certificate", index };
    }
  });
}

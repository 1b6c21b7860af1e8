// Rule harbor-endpoint-ca-certificate-valid: every CA certificate stays valid long enough, and no private key rides along.
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { readPemBundle } from "../certificates";
import { knownValues, text } from "../endpoint";
import { endpointRule } from "../rule";

const DAY_MS = 24 * 60 * 60 * 1000;

const config = z.object({
  minDaysValid: z.number().int().min(0).default(30).describe("Days every certificate in caCertificate must still be valid for. Default: 30."),
});

/** Configuration of {@link harborEndpointCaCertificateValid}. */
export interface CaCertificateValidConfig {
  /** Days every certificate in `caCertificate` must still be valid for. Default: 30. */
  minDaysValid?: number;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * `harbor-endpoint-ca-certificate-valid` (default: advisory): every certificate in `caCertificate` must be valid now
 * and for at least `minDaysValid` more days (default 30), and no block may be a private key (`caCertificate` is not a
 * secret: a key there sits in plain text in Harbor and in the state). Endpoints without `caCertificate` pass.
 */
export const harborEndpointCaCertificateValid: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-ca-certificate-valid",
  description: "CA certificates of registry endpoints must stay valid for the configured number of days, and must not include a private key.",
  enforcementLevel: "advisory",
  remediationSteps: "Replace expiring certificates in caCertificate with renewed ones; remove any private key from it and rotate that key.",
  config,
  validate({ endpoint, config, report }) {
    const pem = text(knownValues(endpoint, ["caCertificate"]).caCertificate);
    if (pem === undefined) return;
    const blocks = readPemBundle(pem);
    const now = Date.now();
    for (const block of blocks) {
      const where = `caCertificate block ${block.index} of ${blocks.length}`;
      if (block.kind === "private-key") {
        report(
          `${endpoint.label}: ${where} is a private key (${block.label}); remove it: caCertificate is not a secret, so the key is stored in plain text ` +
            "in Harbor and in the Pulumi state; treat the key as exposed and replace it",
        );
      } else if (block.kind === "invalid-certificate") {
        report(`${endpoint.label}: ${where} is not a valid X.509 certificate; replace it with the CA's PEM certificate`);
      } else if (block.kind === "certificate") {
        const subject = JSON.stringify(block.subject);
        if (block.notBefore.getTime() > now) {
          report(`${endpoint.label}: ${where} (${subject}) is not valid before ${isoDate(block.notBefore)}; use a certificate that is valid now`);
          continue;
        }
        const msLeft = block.notAfter.getTime() - now;
        if (msLeft <= 0) {
          report(`${endpoint.label}: ${where} (${subject}) expired on ${isoDate(block.notAfter)}; replace it with the CA's renewed certificate`);
        } else if (msLeft < config.minDaysValid * DAY_MS) {
          const days = Math.floor(msLeft / DAY_MS);
          report(
            `${endpoint.label}: ${where} (${subject}) expires on ${isoDate(block.notAfter)}, in ${days} day${days === 1 ? "" : "s"}, ` +
              `less than the required ${config.minDaysValid}; replace it with the CA's renewed certificate before it expires`,
          );
        }
      }
    }
  },
});

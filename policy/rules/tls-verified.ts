// Rule harbor-endpoint-tls-verified: Harbor verifies the remote's TLS certificate (`insecure` is not true).
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { z } from "zod";
import { knownValues } from "../endpoint";
import { endpointRule } from "../rule";

const config = z.object({
  exemptNames: z
    .array(z.string().min(1))
    .default([])
    .describe("Endpoints allowed to skip TLS verification, by Harbor name or by logical resource name."),
});

/** Configuration of {@link harborEndpointTlsVerified}. */
export interface TlsVerifiedConfig {
  /** Endpoints allowed to set `insecure: true`, by Harbor name or logical resource name. Default: none. */
  exemptNames?: string[];
}

/**
 * `harbor-endpoint-tls-verified` (default: mandatory): `insecure: true` is a violation, because Harbor then accepts
 * any certificate from the remote. Config: `exemptNames` (Harbor names or logical names).
 */
export const harborEndpointTlsVerified: ResourceValidationPolicy = endpointRule({
  name: "harbor-endpoint-tls-verified",
  description: "Harbor must verify the TLS certificate of every registry endpoint (insecure must not be true).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set insecure: false; for a remote with a private CA, set caCertificate to the CA's PEM bundle.",
  config,
  validate({ endpoint, config, report }) {
    const exempt = new Set(config.exemptNames);
    if (exempt.has(endpoint.logicalName)) return;
    const { insecure } = knownValues(endpoint, ["insecure"]);
    if (insecure !== true) return;
    if (exempt.size > 0 && exempt.has(String(knownValues(endpoint, ["name"]).name))) return;
    report(
      `${endpoint.label}: insecure is true, so Harbor accepts any TLS certificate from the remote and cannot detect an impostor; ` +
        "set insecure: false and, for a remote signed by a private CA, set caCertificate to that CA's PEM bundle (or add the endpoint to exemptNames)",
    );
  },
});

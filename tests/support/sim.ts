// Test support: starts simulators whose every response body is validated against swagger.yaml, suite-wide.
import { observeAllSimulators, startHarborSimulator, type HarborSimulator, type HarborSimulatorOptions } from "../../simulator";
import { responseErrors } from "./swagger";

/** Suite-wide tally of simulator bodies checked against swagger.yaml and the violations found. */
export const swaggerConformance = { responses: 0, checked: 0, violations: [] as string[] };

let installed = false;

/**
 * Validates every response of every simulator in this process from now on (idempotent).
 * The conformance test file installs it at load time, so all suites are covered whichever way they start simulators.
 */
export function installSwaggerConformance(): void {
  if (installed) return;
  installed = true;
  observeAllSimulators((info) => {
    swaggerConformance.responses += 1;
    try {
      const r = responseErrors(info);
      if (r.checked) swaggerConformance.checked += 1;
      swaggerConformance.violations.push(...r.errors);
    } catch (e) {
      swaggerConformance.violations.push(`${info.method} ${info.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

/** Starts a simulator for a test (127.0.0.1, port 0) with swagger conformance checking installed. */
export async function startTestSimulator(opts: HarborSimulatorOptions = {}): Promise<HarborSimulator> {
  installSwaggerConformance();
  return startHarborSimulator(opts);
}

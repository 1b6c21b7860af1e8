// Public entry of `pulumi-harbor-endpoints/testing`: the in-memory Harbor API simulator.
export { startHarborSimulator, observeAllSimulators } from "./server";
export type {
  HarborSimulator, HarborSimulatorOptions, SimulatorFault, SimulatorRequest, SimulatorResponseInfo, SimulatorStats, SimulatorUser,
  StoredCveAllowlist, StoredPolicy, StoredPolicyFilter, StoredPolicyTrigger, StoredProject, StoredRegistry,
} from "./types";
export type { RateLimitOptions } from "./rate-limit";

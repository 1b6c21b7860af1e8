// Public entry of `pulumi-harbor-endpoints/testing`: the in-memory Harbor API simulator.
export { startHarborSimulator, observeAllSimulators } from "./server";
export type {
  HarborSimulator, HarborSimulatorOptions, SimulatorFault, SimulatorRequest, SimulatorResponseInfo, SimulatorUser,
  StoredPolicy, StoredProject, StoredRegistry,
} from "./types";

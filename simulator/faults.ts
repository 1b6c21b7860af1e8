// Fault queue of the simulator: matching requests get a delay, a status, extra headers, or a dropped connection.
import type { SimulatorFault } from "./types";

/** A fault with its remaining use count. */
interface PendingFault {
  fault: SimulatorFault;
  remaining: number;
}

/** Ordered faults; each request consumes at most one (the first that matches). */
export class FaultQueue {
  private pending: PendingFault[] = [];

  /** Adds a fault (validated: `times` must be ≥ 1). */
  add(fault: SimulatorFault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new RangeError("SimulatorFault.times must be >= 1");
    if (fault.status !== undefined && (fault.status < 100 || fault.status > 599)) throw new RangeError("SimulatorFault.status must be an HTTP status");
    this.pending.push({ fault, remaining: times });
  }

  /** Removes every fault. */
  clear(): void {
    this.pending = [];
  }

  /** Takes the first fault matching the request, decrementing its count. */
  take(method: string, path: string, pathWithQuery: string): SimulatorFault | undefined {
    for (const p of this.pending) {
      const f = p.fault;
      if (f.method !== undefined && f.method.toUpperCase() !== method.toUpperCase()) continue;
      const hit = typeof f.path === "string" ? f.path === path : new RegExp(f.path.source, f.path.flags.replace("g", "")).test(pathWithQuery);
      if (!hit) continue;
      p.remaining -= 1;
      if (p.remaining <= 0) this.pending = this.pending.filter((x) => x !== p);
      return f;
    }
    return undefined;
  }
}

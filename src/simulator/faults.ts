/**
 * Fault selection. A fault with `times: N` fails the first N requests it matches and then lets requests
 * through, so that a retry can succeed; counters live for the lifetime of the simulator (across sessions).
 */
import type { Fault } from "./scenario.js";

/** A place a fault is declared: `key` identifies it (entry and turn), so each has its own counter. */
export interface FaultSite {
  key: string;
  fault: Fault;
}

export class FaultBook {
  private readonly used = new Map<string, number>();

  /** The fault to inject for a request matching `sites` (most specific first), counting it; or undefined. */
  take(sites: readonly FaultSite[]): Fault | undefined {
    for (const site of sites) {
      const used = this.used.get(site.key) ?? 0;
      if (site.fault.times !== undefined && used >= site.fault.times) continue;
      this.used.set(site.key, used + 1);
      return site.fault;
    }
    return undefined;
  }

  /** How many requests each site has failed so far. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.used);
  }
}

/** Precedent stores: PostgreSQL for kappa runs, memory for the merge driver, the benchmark and tests. */
import type pg from "pg";
import { findPrecedent, recordPrecedentUse, savePrecedent } from "../knowledge/index.js";
import type { PrecedentResolution, PrecedentStore } from "./types.js";

export class PgPrecedentStore implements PrecedentStore {
  constructor(private readonly pool: pg.Pool) {}

  async lookup(shapeHash: string): Promise<{ strategy: string; resolution: PrecedentResolution } | undefined> {
    const row = await findPrecedent(this.pool, shapeHash);
    if (!row || !isResolution(row.resolution)) return undefined;
    return { strategy: row.strategy, resolution: row.resolution };
  }

  async record(shapeHash: string, strategy: string, resolution: PrecedentResolution): Promise<void> {
    await savePrecedent(this.pool, shapeHash, strategy, resolution);
  }

  async recordUse(shapeHash: string): Promise<void> {
    await recordPrecedentUse(this.pool, shapeHash);
  }
}

export class MemoryPrecedentStore implements PrecedentStore {
  readonly entries = new Map<string, { strategy: string; resolution: PrecedentResolution; uses: number }>();

  lookup(shapeHash: string): Promise<{ strategy: string; resolution: PrecedentResolution } | undefined> {
    return Promise.resolve(this.entries.get(shapeHash));
  }

  record(shapeHash: string, strategy: string, resolution: PrecedentResolution): Promise<void> {
    this.entries.set(shapeHash, { strategy, resolution, uses: this.entries.get(shapeHash)?.uses ?? 0 });
    return Promise.resolve();
  }

  recordUse(shapeHash: string): Promise<void> {
    const entry = this.entries.get(shapeHash);
    if (entry) entry.uses++;
    return Promise.resolve();
  }
}

function isResolution(value: unknown): value is PrecedentResolution {
  const regions = (value as { regions?: unknown } | null)?.regions;
  return Array.isArray(regions) && regions.every((r) => Array.isArray(r) && r.every((l) => typeof l === "string"));
}

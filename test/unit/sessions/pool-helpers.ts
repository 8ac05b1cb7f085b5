import { EventBus, Scrubber, silentLogger, type KappaEvent, type PlannedTask } from "../../../src/core/index.js";
import { FakeDriver, SessionPool, type FakeDriverOptions, type PoolAccountConfig, type SessionPoolOptions } from "../../../src/sessions/index.js";

export function task(id: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return { id, title: `task ${id}`, prompt: `do ${id}`, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [], ...extra };
}

export function account(name: string, maxConcurrent?: number): PoolAccountConfig {
  return { name, apiKey: `key-${name}-secret`, baseUrl: undefined, model: "claude-test", simulated: true, maxConcurrent };
}

export interface Harness {
  pool: SessionPool;
  driver: FakeDriver;
  bus: EventBus;
  events: KappaEvent[];
}

export function harness(script: FakeDriverOptions, options: Partial<SessionPoolOptions> = {}): Harness {
  const bus = new EventBus();
  const events: KappaEvent[] = [];
  bus.onAny((e) => events.push(e));
  const driver = new FakeDriver(script);
  const pool = new SessionPool({
    driver,
    accounts: [account("main")],
    maxParallel: 4,
    maxRetries: 2,
    retryBaseMs: 10,
    idleTimeoutMs: 5_000,
    sessionTimeoutMs: 10_000,
    maxTurns: 10,
    maxBudgetUsd: 1,
    bus,
    logger: silentLogger(),
    scrubber: new Scrubber(["key-main-secret"]),
    random: () => 0.5,
    ...options,
  });
  return { pool, driver, bus, events };
}

export const workspace = { dir: "/nonexistent", env: {} };

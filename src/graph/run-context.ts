/**
 * What every part of one run shares, built once when the run starts: the run row (read once), the repository,
 * the configuration and its durations in the unit the code uses (ms), and the integration branch object.
 */
import type pg from "pg";
import type { KappaConfig, Logger } from "../core/index.js";
import type { RunRow } from "../knowledge/index.js";
import { IntegrationBranch } from "./integration-branch.js";

export interface RunLimits {
  /** A session's whole time (`sessionTimeout`, seconds in the config). */
  sessionTimeoutMs: number;
  /** A session with no event for this long is stopped (`idleTimeout`). */
  idleTimeoutMs: number;
  /** The verification gate's test command (`testTimeout`). */
  testTimeoutMs: number;
}

export interface RunContext {
  run: RunRow;
  runId: string;
  repo: string;
  config: KappaConfig;
  limits: RunLimits;
  branch: IntegrationBranch;
  pool: pg.Pool;
  logger: Logger;
}

export function runContext(options: { run: RunRow; repo: string; config: KappaConfig; pool: pg.Pool; logger: Logger }): RunContext {
  const { run, repo, config } = options;
  return {
    ...options,
    runId: run.id,
    limits: { sessionTimeoutMs: config.sessionTimeout * 1000, idleTimeoutMs: config.idleTimeout * 1000, testTimeoutMs: config.testTimeout * 1000 },
    branch: new IntegrationBranch(repo, run.id),
  };
}

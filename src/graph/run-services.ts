/**
 * Builds everything one run needs from configuration: the session pool over the chosen driver and accounts,
 * the real ports, and the node services. Used by `kappa run` and `kappa resume` alike.
 */
import type { EventBus, KappaConfig, Logger, Scrubber } from "../core/index.js";
import { resolvePlan } from "../decomposition/index.js";
import type { AgentResolver } from "../conflict/index.js";
import { PgSessionStore, listConflicts, type Database, type RunRow } from "../knowledge/index.js";
import { SessionPool, findClaudeExecutable, type PoolAccountConfig, type SessionDriver } from "../sessions/index.js";
import { createIntegrationBranch, mergeToUserBranch } from "../workspace/index.js";
import { Mutex } from "./mutex.js";
import type { NodeServices } from "./nodes.js";
import type { RunPorts } from "./ports.js";
import { realPorts } from "./real-ports.js";
import { agentResolver } from "./agent-resolver.js";
import type { RunControl } from "./run-control.js";

export interface RunSetup {
  db: Database;
  config: KappaConfig;
  bus: EventBus;
  logger: Logger;
  scrubber: Scrubber;
  repo: string;
  run: RunRow;
  driver: SessionDriver;
  accounts: PoolAccountConfig[];
  control: RunControl;
  /** Replace the real ports (tests and benchmarks). */
  ports?: RunPorts | undefined;
  agent?: AgentResolver | undefined;
}

export function createRunServices(setup: RunSetup): NodeServices {
  const { db, config, bus, logger, repo, run, control } = setup;
  const resolved = resolvePlan(run.plan);
  const maxParallel = run.options.maxParallel;
  const integrationBranch = `kappa/${run.id}/main`;
  const sessions = new SessionPool({
    driver: setup.driver,
    accounts: setup.accounts,
    maxParallel,
    maxRetries: config.maxRetries,
    retryBaseMs: config.retryBaseMs,
    idleTimeoutMs: config.idleTimeout * 1000,
    sessionTimeoutMs: config.sessionTimeout * 1000,
    maxTurns: config.maxTurns,
    maxBudgetUsd: config.maxBudgetUsd,
    store: new PgSessionStore(db.pool, setup.scrubber),
    bus,
    logger,
    scrubber: setup.scrubber,
  });
  const usesAgent = config.conflictStrategies.some((r) => r.strategies.includes("agent"));
  const agent = setup.agent ?? (usesAgent ? agentResolver(sessions, db.pool, run.id) : undefined);
  const agentCommand = config.driver === "command" && !run.options.simulate ? (config.commandTemplate ?? "").trim().split(/\s+/)[0] ?? "" : (findClaudeExecutable() ?? "claude");
  const ports = setup.ports ?? realPorts({ repo, runId: run.id, integrationBranch, config, pool: db.pool, sessions, logger, agent, agentCommand });
  const mergeTo = run.options.mergeTo;
  return {
    runId: run.id,
    pool: db.pool,
    ports,
    bus,
    logger,
    mergeMutex: new Mutex(),
    gateRetries: config.gateRetries,
    policy: run.options.schedule,
    maxParallel,
    resolved,
    control,
    simulated: Boolean(run.options.simulate),
    sandboxed: run.options.noSandbox !== true,
    async createIntegrationBranch(signal) {
      const info = await createIntegrationBranch({ repo, runId: run.id, base: run.baseCommit ?? "HEAD", signal });
      return { branch: info.branch, baseCommit: run.baseCommit ?? info.baseCommit };
    },
    async openConflictIds() {
      const open = await listConflicts(db.pool, { runId: run.id, status: "open" });
      return open.map((c) => String(c.id));
    },
    mergeTo: mergeTo
      ? async (branch, signal) => {
          const result = await mergeToUserBranch({ repo, integrationBranch: branch, target: mergeTo, signal });
          return { branch: mergeTo, status: result.status, reason: result.reason };
        }
      : undefined,
  };
}

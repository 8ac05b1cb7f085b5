/**
 * Builds everything one run needs from its context: the session pool over the chosen driver and accounts,
 * the real ports, the task store and the node services. Called by start-run.ts only.
 */
import type { EventBus, Scrubber } from "../core/index.js";
import { resolvePlan } from "../decomposition/index.js";
import type { AgentResolver } from "../conflict/index.js";
import { PgSessionStore, listConflicts } from "../knowledge/index.js";
import { SessionPool, findClaudeExecutable, type PoolAccountConfig, type SessionDriver } from "../sessions/index.js";
import { createIntegrationBranch, mergeToUserBranch } from "../workspace/index.js";
import { agentResolver } from "./agent-resolver.js";
import { Mutex } from "./mutex.js";
import type { NodeServices } from "./nodes.js";
import { PgTaskStore } from "./pg-task-store.js";
import type { RunPorts } from "./ports.js";
import { realPorts } from "./real-ports.js";
import type { RunContext } from "./run-context.js";
import type { RunControl } from "./run-control.js";

export interface RunServicesSetup {
  bus: EventBus;
  scrubber: Scrubber;
  driver: SessionDriver;
  accounts: PoolAccountConfig[];
  control: RunControl;
  /** Replace the real ports (tests and benchmarks). */
  ports?: RunPorts | undefined;
  agent?: AgentResolver | undefined;
}

export function createRunServices(ctx: RunContext, setup: RunServicesSetup): NodeServices {
  const { config, logger, repo, run, pool } = ctx;
  const { bus, control } = setup;
  const maxParallel = run.options.maxParallel;
  const sessions = new SessionPool({
    driver: setup.driver,
    accounts: setup.accounts,
    maxParallel,
    maxRetries: config.maxRetries,
    retryBaseMs: config.retryBaseMs,
    idleTimeoutMs: ctx.limits.idleTimeoutMs,
    sessionTimeoutMs: ctx.limits.sessionTimeoutMs,
    maxTurns: config.maxTurns,
    maxBudgetUsd: config.maxBudgetUsd,
    store: new PgSessionStore(pool, setup.scrubber),
    bus,
    logger,
    scrubber: setup.scrubber,
  });
  const usesAgent = config.conflictStrategies.some((r) => r.strategies.includes("agent"));
  const agent = setup.agent ?? (usesAgent ? agentResolver(sessions, pool, run.id) : undefined);
  const agentCommand = config.driver === "command" && !run.options.simulate ? (config.commandTemplate ?? "").trim().split(/\s+/)[0] ?? "" : (findClaudeExecutable() ?? "claude");
  const ports = setup.ports ?? realPorts(ctx, { sessions, agent, agentCommand });
  const mergeTo = run.options.mergeTo;
  return {
    runId: run.id,
    run,
    integrationBranch: ctx.branch.name,
    pool,
    tasks: new PgTaskStore(pool, run.id),
    ports,
    bus,
    logger,
    mergeMutex: new Mutex(),
    gateRetries: config.gateRetries,
    policy: run.options.schedule,
    maxParallel,
    resolved: resolvePlan(run.plan),
    control,
    simulated: Boolean(run.options.simulate),
    sandboxed: run.options.noSandbox !== true,
    async createIntegrationBranch(signal) {
      const info = await createIntegrationBranch({ repo, runId: run.id, base: run.baseCommit ?? "HEAD", signal });
      return { branch: info.branch, baseCommit: run.baseCommit ?? info.baseCommit };
    },
    async openConflictIds() {
      const open = await listConflicts(pool, { runId: run.id, status: "open" });
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

/**
 * The pipeline's nodes over a run's services. Each node is idempotent: LangGraph may run a node again after a
 * crash (at-least-once), so every node checks the tables before it acts.
 */
import type pg from "pg";
import type { EventBus, Logger } from "../core/index.js";
import { insertTasks, listTasks, markRunStarted, runCostUsd, setRunStatus, type RunRow } from "../knowledge/index.js";
import type { PipelineNodes } from "./builder.js";
import { runOutcome } from "./decide.js";
import { executeTasks, type ExecuteDeps } from "./execute-loop.js";
import type { RunState } from "./state.js";

export interface RunSummary {
  status: "completed" | "partial" | "failed";
  merged: string[];
  failed: string[];
  skipped: string[];
  conflicts: string[];
  costUsd: number;
  makespanMs: number;
  serialMs: number;
  speedup: number;
  integrationBranch: string;
  mergedTo?: { branch: string; status: string; reason?: string | undefined } | undefined;
}

export interface NodeServices extends ExecuteDeps {
  /** The run row as read once when the run started. */
  run: RunRow;
  integrationBranch: string;
  pool: pg.Pool;
  bus: EventBus;
  logger: Logger;
  simulated: boolean;
  /** false when the run was started with `--no-sandbox`. */
  sandboxed?: boolean | undefined;
  createIntegrationBranch(signal: AbortSignal): Promise<{ branch: string; baseCommit: string }>;
  openConflictIds(): Promise<string[]>;
  mergeTo?: ((integrationBranch: string, signal: AbortSignal) => Promise<{ branch: string; status: string; reason?: string | undefined }>) | undefined;
}

export function pipelineNodes(services: NodeServices): PipelineNodes {
  const { runId, pool, bus } = services;
  return {
    async initialize() {
      const { branch, baseCommit } = await services.createIntegrationBranch(services.control.signal);
      await markRunStarted(pool, runId, baseCommit, branch);
      return { phase: "initialized" };
    },
    async decompose() {
      await insertTasks(pool, runId, services.run.plan.tasks);
      return { phase: "decomposed" };
    },
    async execute() {
      const outcome = await executeTasks(services);
      return { phase: "executed", outcome };
    },
    openConflicts: () => services.openConflictIds(),
    async finalize() {
      const summary = await summarize(services);
      if (services.mergeTo && summary.merged.length > 0) {
        summary.mergedTo = await services.mergeTo(summary.integrationBranch, services.control.signal);
      }
      await setRunStatus(pool, runId, summary.status, { ...summary });
      bus.emit("run:finished", {
        runId,
        status: summary.status,
        tasks: { completed: summary.merged, failed: summary.failed, skipped: summary.skipped, conflict: summary.conflicts },
        integrationBranch: summary.integrationBranch,
        costUsd: summary.costUsd,
        makespanMs: summary.makespanMs,
        serialMs: summary.serialMs,
      });
      return { phase: "finalized", status: summary.status };
    },
  };
}

export async function summarize(services: { pool: pg.Pool; runId: string; integrationBranch: string }): Promise<RunSummary> {
  const { pool, runId } = services;
  const [tasks, costUsd] = await Promise.all([listTasks(pool, runId), runCostUsd(pool, runId)]);
  const started = tasks.map((t) => t.startedAt?.getTime()).filter((v): v is number => v !== undefined);
  const finished = tasks.map((t) => t.finishedAt?.getTime()).filter((v): v is number => v !== undefined);
  const makespanMs = started.length > 0 && finished.length > 0 ? Math.max(...finished) - Math.min(...started) : 0;
  const serialMs = tasks.reduce((sum, t) => sum + (t.durationMs ?? 0), 0);
  const ids = (status: string): string[] => tasks.filter((t) => t.status === status).map((t) => t.id);
  return {
    status: runOutcome(tasks),
    merged: ids("merged"),
    failed: ids("failed"),
    skipped: [...ids("skipped"), ...ids("pending")],
    conflicts: ids("waiting"),
    costUsd,
    makespanMs,
    serialMs,
    speedup: makespanMs > 0 ? serialMs / makespanMs : 0,
    integrationBranch: services.integrationBranch,
  };
}

export type { RunState };

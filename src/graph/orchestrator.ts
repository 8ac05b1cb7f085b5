/**
 * Drives one run's graph: takes the run's advisory lock (one orchestrator per run), keeps a heartbeat that
 * also notices `kappa cancel`, invokes or resumes the LangGraph thread (thread id = run id), and reports how
 * the run ended.
 */
import { hostname } from "node:os";
import { Command } from "@langchain/langgraph";
import { InputError } from "../core/index.js";
import { acquireRunLock, getRun, heartbeatRun, setRunStatus, type Database } from "../knowledge/index.js";
import { buildPipeline } from "./builder.js";
import { createCheckpointer } from "./checkpointer.js";
import { RunStoppedError } from "./execute-loop.js";
import { pipelineNodes, summarize, type NodeServices, type RunSummary } from "./nodes.js";

export type DriveResult =
  | { kind: "finished"; summary: RunSummary }
  | { kind: "waiting"; conflictIds: string[] }
  | { kind: "stopped"; reason: string; cancelled: boolean };

export interface DriveOptions {
  db: Database;
  services: NodeServices;
  /** Heartbeat and cancel polling interval. @default 2000 */
  heartbeatMs?: number;
}

export async function driveRun(options: DriveOptions): Promise<DriveResult> {
  const { db, services } = options;
  const { runId, control, bus } = services;
  const pool = db.pool;
  const lock = await acquireRunLock(pool, runId);
  const owner = `${hostname()}:${process.pid}`;
  let cancelled = false;
  const beat = async (): Promise<void> => {
    const { cancelRequested } = await heartbeatRun(pool, runId, owner);
    if (cancelRequested && !cancelled) {
      cancelled = true;
      control.abort("cancelled with `kappa cancel`");
    }
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const checkpointer = await createCheckpointer(db);
    const app = buildPipeline(pipelineNodes(services), checkpointer);
    const config = { configurable: { thread_id: runId }, recursionLimit: 10_000, durability: "sync" as const };
    const state = await app.getState(config);
    const hasCheckpoint = Object.keys(state.values as object).length > 0 || state.next.length > 0;
    if (hasCheckpoint && state.next.length === 0) {
      const run = await getRun(pool, runId);
      throw new InputError(`run ${runId} has already finished (${run?.status ?? "unknown"})`, { hint: `see \`kappa status ${runId}\`` });
    }
    const interrupted = state.tasks.some((t) => t.interrupts.length > 0);
    // Running again clears an earlier cancel request; a new one arrives through the heartbeat.
    await setRunStatus(pool, runId, "running");
    await beat();
    timer = setInterval(() => void beat().catch(() => undefined), options.heartbeatMs ?? 2000);
    if (!hasCheckpoint) {
      const run = await getRun(pool, runId);
      bus.emit("run:started", {
        runId,
        tasks: run?.plan.tasks.length ?? 0,
        maxParallel: services.maxParallel,
        schedule: services.policy,
        simulated: services.simulated,
        sandboxed: services.sandboxed !== false,
      });
      await app.invoke({ runId, phase: "new", outcome: undefined, status: undefined }, config);
    } else {
      bus.emit("run:resumed", { runId, remaining: state.next.length });
      await app.invoke(interrupted ? new Command({ resume: true }) : null, config);
    }
    const after = await app.getState(config);
    const waitingFor = after.tasks.flatMap((t) => t.interrupts.map((i) => i.value as { waitingFor?: string[] }));
    if (waitingFor.length > 0) {
      await setRunStatus(pool, runId, "waiting");
      await emitEnd(services, "waiting");
      return { kind: "waiting", conflictIds: waitingFor.flatMap((w) => w.waitingFor ?? []) };
    }
    return { kind: "finished", summary: await summarize({ pool, runId }) };
  } catch (error) {
    if (error instanceof RunStoppedError || control.signal.aborted) {
      const reason = control.reason ?? "stopped";
      await setRunStatus(pool, runId, cancelled ? "cancelled" : "stopped");
      bus.emit("run:stopping", { runId, reason });
      await emitEnd(services, cancelled ? "cancelled" : "stopped");
      return { kind: "stopped", reason, cancelled };
    }
    throw error;
  } finally {
    clearInterval(timer);
    await lock.release();
  }
}

/** Every run's event stream ends with `run:finished`, also when it stops early or waits for a person. */
async function emitEnd(services: NodeServices, status: "waiting" | "stopped" | "cancelled"): Promise<void> {
  const summary = await summarize(services);
  services.bus.emit("run:finished", {
    runId: services.runId,
    status,
    tasks: { completed: summary.merged, failed: summary.failed, skipped: summary.skipped, conflict: summary.conflicts },
    integrationBranch: summary.integrationBranch,
    costUsd: summary.costUsd,
    makespanMs: summary.makespanMs,
    serialMs: summary.serialMs,
  });
}

/**
 * Drives one run's graph (start-run.ts holds the run's advisory lock meanwhile): keeps a heartbeat that
 * also notices `kappa cancel`, invokes or resumes the LangGraph thread (thread id = run id), and reports how
 * the run ended.
 */
import { hostname } from "node:os";
import { Command } from "@langchain/langgraph";
import { DatabaseOutageError, heartbeatRun, listTasks, setRunStatus, type Database } from "../knowledge/index.js";
import { buildPipeline } from "./builder.js";
import { createCheckpointer } from "./checkpointer.js";
import { RunStoppedError } from "./execute-loop.js";
import { pipelineNodes, summarize, type NodeServices, type RunSummary } from "./nodes.js";

export type DriveResult =
  | { kind: "finished"; summary: RunSummary }
  | { kind: "waiting"; conflictIds: string[] }
  | { kind: "stopped"; reason: string; cancelled: boolean };

/** Called by start-run.ts, which holds the run's lock. */
export interface DriveOptions {
  db: Database;
  services: NodeServices;
  /** Heartbeat and cancel polling interval. @default 2000 */
  heartbeatMs?: number | undefined;
}

export async function driveRun(options: DriveOptions): Promise<DriveResult> {
  const { db, services } = options;
  const { runId, control, bus } = services;
  const pool = db.pool;
  const owner = `${hostname()}:${process.pid}`;
  let cancelled = false;
  let beating = false;
  const beat = async (): Promise<void> => {
    if (beating) return; // during a database outage one heartbeat waits; the next ones do not pile up
    beating = true;
    try {
      const { cancelRequested } = await heartbeatRun(pool, runId, owner);
      if (cancelRequested && !cancelled) {
        cancelled = true;
        control.abort("cancelled with `kappa cancel`");
      }
    } finally {
      beating = false;
    }
  };
  // A database outage: sessions keep running, starting and merging wait (their queries do); a final one stops the run.
  let lostAt = 0;
  const unwatch = db.outage.onChange((state, error) => {
    if (state === "down") {
      lostAt = Date.now();
      bus.emit("database:lost", { runId, reason: "the connection to PostgreSQL was lost; reconnecting" });
    } else if (state === "up") bus.emit("database:restored", { runId, downMs: Date.now() - lostAt });
    else control.abort(`the database is unavailable: ${error?.message ?? "unknown error"}`);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const checkpointer = await createCheckpointer(db);
    const app = buildPipeline(pipelineNodes(services), checkpointer);
    const config = { configurable: { thread_id: runId }, recursionLimit: 10_000, durability: "sync" as const };
    const state = await app.getState(config);
    const hasCheckpoint = Object.keys(state.values as object).length > 0 || state.next.length > 0;
    const interrupted = state.tasks.some((t) => t.interrupts.length > 0);
    // Whether this is the run's first start comes from the run row as read before anything changed it: a
    // process killed before the first checkpoint has already set it running, and the next one resumes.
    const firstStart = services.run.status === "pending";
    // Running again clears an earlier cancel request; a new one arrives through the heartbeat.
    await setRunStatus(pool, runId, "running");
    await beat();
    timer = setInterval(() => void beat().catch(() => undefined), options.heartbeatMs ?? 2000);
    if (firstStart) {
      bus.emit("run:started", {
        runId,
        tasks: services.run.plan.tasks.length,
        maxParallel: services.maxParallel,
        schedule: services.policy,
        simulated: services.simulated,
        sandboxed: services.sandboxed !== false,
      });
    } else {
      bus.emit("run:resumed", { runId, remaining: await unfinishedTasks(services) });
    }
    if (!hasCheckpoint) await app.invoke({ runId, phase: "new", outcome: undefined, status: undefined }, config);
    else await app.invoke(interrupted ? new Command({ resume: true }) : null, config);
    const after = await app.getState(config);
    const waitingFor = after.tasks.flatMap((t) => t.interrupts.map((i) => i.value as { waitingFor?: string[] }));
    if (waitingFor.length > 0) {
      await setRunStatus(pool, runId, "waiting");
      await emitEnd(services, "waiting");
      return { kind: "waiting", conflictIds: waitingFor.flatMap((w) => w.waitingFor ?? []) };
    }
    return { kind: "finished", summary: await summarize(services) };
  } catch (error) {
    const outage = db.outage.finalError;
    if (outage) throw outage instanceof DatabaseOutageError ? outage.forRun(runId) : outage;
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
    unwatch();
  }
}

/** Tasks not merged, failed or skipped yet (all of the plan's when none is recorded yet). */
async function unfinishedTasks(services: NodeServices): Promise<number> {
  const tasks = await listTasks(services.pool, services.runId);
  if (tasks.length === 0) return services.run.plan.tasks.length;
  return tasks.filter((t) => t.status !== "merged" && t.status !== "failed" && t.status !== "skipped").length;
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

/**
 * One task from start to merge: worktree from the integration head, session, commit, merge (one at a time),
 * verification gate. Every step is recorded in the tasks table before the next starts, so a crash at any
 * point resumes without re-running finished work or losing a commit.
 */
import type pg from "pg";
import type { EventBus, Logger } from "../core/index.js";
import { updateTask, type TaskRow } from "../knowledge/index.js";
import type { Mutex } from "./mutex.js";
import type { MergeResult, RunPorts } from "./ports.js";

export type TaskRunResult = "merged" | "failed" | "waiting" | "retry" | "interrupted";

export interface TaskRunnerDeps {
  runId: string;
  pool: pg.Pool;
  ports: RunPorts;
  bus: EventBus;
  logger: Logger;
  mergeMutex: Mutex;
  /** Times a task is re-run after its merge failed the verification gate. */
  gateRetries: number;
}

export async function runTask(deps: TaskRunnerDeps, task: TaskRow, priority: number, signal: AbortSignal): Promise<TaskRunResult> {
  const { runId, pool, ports, bus } = deps;
  let head = task.headCommit;
  let finishedAt = task.finishedAt?.getTime() ?? Date.now();
  let attempts = task.attempts;
  let worktree = task.worktree;

  if (task.status !== "completed" || !head) {
    attempts += 1;
    const startedAt = new Date();
    const from = await ports.integrationHead(signal);
    // Recorded once the worktree exists; a crash before that leaves the task pending, and it starts again.
    const workspace = await ports.prepareWorkspace(task, from, signal);
    worktree = workspace.dir;
    await updateTask(pool, runId, task.id, { status: "running", attempts, startedAt, reason: null, worktree: workspace.dir, branch: workspace.branch });
    bus.emit("task:started", { runId, taskId: task.id, attempt: attempts, worktree: workspace.dir });

    if (workspace.setupFailure !== undefined) {
      return fail(deps, task, attempts, `the setup command failed: ${workspace.setupFailure}`, "setup");
    }
    const outcome = await ports.runSession(task, workspace, { signal, feedback: task.feedback ?? undefined, priority });
    // Whatever the session wrote is committed on the task branch, even when it failed or was interrupted.
    const committed = await ports.commitWork(task, workspace, AbortSignal.timeout(60_000));
    head = committed.commit;
    if (committed.keptOut?.length) bus.emit("commit:excluded", { runId, taskId: task.id, files: committed.keptOut });
    if (signal.aborted) {
      await updateTask(pool, runId, task.id, { status: "pending", reason: "interrupted; it restarts on resume", headCommit: head });
      return "interrupted";
    }
    if (!outcome.ok) {
      await updateTask(pool, runId, task.id, { headCommit: head });
      return fail(deps, task, attempts, outcome.reason ?? "the session failed", outcome.errorKind ?? "agent_error");
    }
    finishedAt = Date.now();
    const durationMs = finishedAt - startedAt.getTime();
    await updateTask(pool, runId, task.id, { status: "completed", headCommit: head, finishedAt: new Date(finishedAt), durationMs, feedback: null });
    bus.emit("task:completed", { runId, taskId: task.id, attempt: attempts, durationMs, costUsd: outcome.costUsd, filesChanged: committed.files });
  }

  const mergeHead = head;
  // Only what moves the integration branch is serial: the merge and the gate on its result. Recording it
  // happens after the lock is free, so the next task's merge does not wait for the database.
  const merged = await deps.mergeMutex.run(async () => gateMerge(deps, await ports.merge(task, mergeHead, finishedAt, signal), signal));
  const outcome = await settleMerge(deps, task, attempts, merged, signal);
  if (outcome === "merged") await releaseWorkspace(deps, worktree);
  return outcome;
}

/** A merged task's worktree goes (its commits are on its branch); outside the merge lock, it is not urgent. */
export async function releaseWorkspace(deps: TaskRunnerDeps, worktree: string | null): Promise<void> {
  if (!worktree) return;
  await deps.ports.releaseWorkspace(worktree).catch((error: unknown) => deps.logger.debug({ err: error, worktree }, "worktree kept"));
}

export interface GatedMerge {
  result: MergeResult;
  /** The verification gate's verdict on a merge; when it failed, the merge was already reverted. */
  gate?: GateVerdict | undefined;
}

type GateVerdict = NonNullable<Awaited<ReturnType<RunPorts["gate"]>>>;

/** Runs the verification gate on a merge and reverts the merge when it fails. Call it holding the merge lock. */
export async function gateMerge(deps: TaskRunnerDeps, result: MergeResult, signal: AbortSignal): Promise<GatedMerge> {
  if (result.status !== "merged" || result.settled) return { result };
  const gate = await deps.ports.gate(result.commit, signal);
  if (gate && !gate.ok) await deps.ports.revertIntegration(result.previousHead, result.commit, signal);
  return { result, gate };
}

/** Records a merge outcome: merged / waiting for review / retry with the gate's output. */
export async function settleMerge(deps: TaskRunnerDeps, task: TaskRow, attempts: number, merged: GatedMerge, signal: AbortSignal): Promise<TaskRunResult> {
  const { runId, pool, ports, bus } = deps;
  const { result, gate } = merged;
  if (result.status === "conflict") {
    await updateTask(pool, runId, task.id, { status: "waiting", reason: `merge conflict in ${result.files.join(", ")}: waiting for review (conflict ${result.conflictId})` });
    bus.emit("merge:conflict", { runId, taskId: task.id, files: result.files, conflictId: result.conflictId });
    bus.emit("conflict:queued", { runId, taskId: task.id, conflictId: result.conflictId, files: result.files });
    bus.emit("task:waiting", { runId, taskId: task.id, reason: `conflict ${result.conflictId} waits for review` });
    return "waiting";
  }
  if (gate && !gate.ok) {
    bus.emit("gate:failed", { runId, taskId: task.id, output: gate.output });
    bus.emit("merge:reverted", { runId, taskId: task.id, reason: "the verification gate failed" });
    if (attempts <= deps.gateRetries) {
      await updateTask(pool, runId, task.id, {
        status: "pending",
        headCommit: null,
        reason: "its merge failed the verification gate; retrying with the test output",
        feedback: `Your previous attempt was merged but the project's tests then failed. Fix this; test output (last lines):\n${gate.output}`,
      });
      return "retry";
    }
    return fail(deps, task, attempts, `its merge failed the verification gate ${attempts} time(s); last output: ${lastLine(gate.output)}`, "gate");
  }
  if (gate) bus.emit("gate:passed", { runId, taskId: task.id, durationMs: gate.durationMs });
  const [files] = await Promise.all([
    ports.mergedFiles(result.previousHead, result.commit, signal).catch(() => []),
    updateTask(pool, runId, task.id, { status: "merged", mergeCommit: result.commit, mergeStrategy: result.strategy, reason: null }),
  ]);
  bus.emit("merge:done", { runId, taskId: task.id, commit: result.commit, strategy: result.strategy, files });
  return "merged";
}

async function fail(deps: TaskRunnerDeps, task: TaskRow, attempt: number, reason: string, errorKind: string): Promise<"failed"> {
  await updateTask(deps.pool, deps.runId, task.id, { status: "failed", reason, finishedAt: new Date() });
  deps.bus.emit("task:failed", { runId: deps.runId, taskId: task.id, attempt, reason, errorKind });
  return "failed";
}

function lastLine(text: string): string {
  return text.trim().split("\n").slice(-1)[0] ?? "";
}


/**
 * One task from start to merge: worktree from the integration head, session, commit, merge (one at a time),
 * verification gate. Every step is a lifecycle transition recorded before the next starts, so a crash at any
 * point resumes without re-running finished work or losing a commit. Each transition names the attempt it
 * belongs to: a result of an attempt that is no longer current is ignored.
 */
import { describeError, StaleAttemptError, type EventBus, type Logger } from "../core/index.js";
import type { TaskRow } from "../knowledge/index.js";
import type { Mutex } from "./mutex.js";
import type { MergeResult, RunPorts } from "./ports.js";
import { canTransition } from "./task-lifecycle.js";
import type { TaskStore } from "./task-store.js";

export type TaskRunResult = "merged" | "failed" | "waiting" | "retry" | "interrupted" | "stale";

export interface TaskRunnerDeps {
  runId: string;
  tasks: TaskStore;
  ports: RunPorts;
  bus: EventBus;
  logger: Logger;
  mergeMutex: Mutex;
  /** Times a task is re-run after its merge failed the verification gate. */
  gateRetries: number;
}

/** Runs one task; expected failures are results, and so is an error of kappa's own (the task fails with it). */
export async function runTask(deps: TaskRunnerDeps, task: TaskRow, priority: number, signal: AbortSignal): Promise<TaskRunResult> {
  const current = { row: task };
  try {
    return await runAttempt(deps, current, priority, signal);
  } catch (error) {
    if (error instanceof StaleAttemptError) {
      deps.logger.warn({ taskId: task.id, attempt: error.attempt, current: error.current }, "a stale attempt's result was ignored");
      return "stale";
    }
    const row = current.row;
    if (signal.aborted) {
      deps.logger.debug({ err: error, taskId: task.id }, "task stopped while the run was aborted");
      // A completed task stays completed: its merge happens on resume.
      if (row.status === "running") await deps.tasks.transition("interrupt", row, { cause: "stop", reason: "interrupted; it restarts on resume" });
      return "interrupted";
    }
    deps.logger.error({ err: error, taskId: task.id }, "task crashed");
    if (!canTransition("fail", row.status)) throw error;
    return fail(deps, row, `kappa error: ${describeError(error)}`, "internal");
  }
}

async function runAttempt(deps: TaskRunnerDeps, current: { row: TaskRow }, priority: number, signal: AbortSignal): Promise<TaskRunResult> {
  const { runId, ports, bus, tasks } = deps;
  const task = current.row;
  // A task found `completed` was finished before a crash: it may even be merged already.
  const afterCrash = task.status === "completed" && task.headCommit !== null;
  let row = task;
  if (!afterCrash) {
    const from = await ports.integrationHead(signal);
    // Started once the worktree exists; a crash before that leaves the task pending, and it starts again.
    const workspace = await ports.prepareWorkspace(task, from, signal);
    row = current.row = await tasks.transition("start", task, { worktree: workspace.dir, branch: workspace.branch, startedAt: new Date() });
    bus.emit("task:started", { runId, taskId: row.id, attempt: row.attempts, worktree: workspace.dir });

    if (workspace.setupFailure !== undefined) return fail(deps, row, `the setup command failed: ${workspace.setupFailure}`, "setup");
    // A session cut short by a crash or a stop continues its conversation.
    const continueConversation = task.interruptedBy !== null;
    const outcome = await ports.runSession(row, workspace, { signal, feedback: row.feedback ?? undefined, priority, continueConversation });
    // Whatever the session wrote is committed on the task branch, even when it failed or was interrupted.
    const committed = await ports.commitWork(row, workspace, AbortSignal.timeout(60_000));
    if (committed.keptOut?.length) bus.emit("commit:excluded", { runId, taskId: row.id, files: committed.keptOut });
    if (signal.aborted) {
      current.row = await tasks.transition("interrupt", row, { cause: "stop", reason: "interrupted; it restarts on resume", headCommit: committed.commit });
      return "interrupted";
    }
    if (!outcome.ok) return fail(deps, row, outcome.reason ?? "the session failed", outcome.errorKind ?? "agent_error", committed.commit);
    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - (row.startedAt?.getTime() ?? finishedAt.getTime());
    row = current.row = await tasks.transition("sessionEnded", row, { headCommit: committed.commit, finishedAt, durationMs });
    bus.emit("task:completed", { runId, taskId: row.id, attempt: row.attempts, durationMs, costUsd: outcome.costUsd, filesChanged: committed.files });
  }

  const merging = row;
  const request = { head: merging.headCommit ?? "", finishedAt: merging.finishedAt?.getTime() ?? Date.now(), afterCrash };
  // Only what moves the integration branch is serial: the merge and the gate on its result. Recording it
  // happens after the lock is free, so the next task's merge does not wait for the database.
  const merged = await deps.mergeMutex.run(async () => gateMerge(deps, await ports.merge(merging, request, signal), signal));
  const outcome = await settleMerge(deps, merging, merged, signal);
  if (outcome === "merged") await releaseWorkspace(deps, merging);
  return outcome;
}

/** A merged task's worktree goes (its commits are on its branch); outside the merge lock, it is not urgent. */
export async function releaseWorkspace(deps: TaskRunnerDeps, task: TaskRow): Promise<void> {
  if (!task.worktree) return;
  try {
    await deps.ports.releaseWorkspace(task.worktree);
    await deps.tasks.worktreeReleased(task);
  } catch (error) {
    deps.logger.debug({ err: error, worktree: task.worktree }, "worktree kept");
  }
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

/** Records a merge outcome of a completed (or, for a resolution, waiting) task: merged / waiting for review / retry. */
export async function settleMerge(deps: TaskRunnerDeps, task: TaskRow, merged: GatedMerge, signal: AbortSignal): Promise<TaskRunResult> {
  const { runId, ports, bus, tasks } = deps;
  const { result, gate } = merged;
  if (result.status === "conflict") {
    await tasks.transition("waitForReview", task, { reason: `merge conflict in ${result.files.join(", ")}: waiting for review (conflict ${result.conflictId})` });
    bus.emit("merge:conflict", { runId, taskId: task.id, files: result.files, conflictId: result.conflictId });
    bus.emit("conflict:queued", { runId, taskId: task.id, conflictId: result.conflictId, files: result.files });
    bus.emit("task:waiting", { runId, taskId: task.id, reason: `conflict ${result.conflictId} waits for review` });
    return "waiting";
  }
  if (gate && !gate.ok) {
    bus.emit("gate:failed", { runId, taskId: task.id, output: gate.output });
    bus.emit("merge:reverted", { runId, taskId: task.id, reason: "the verification gate failed" });
    if (task.attempts <= deps.gateRetries) {
      await tasks.transition("retry", task, {
        reason: "its merge failed the verification gate; retrying with the test output",
        feedback: `Your previous attempt was merged but the project's tests then failed. Fix this; test output (last lines):\n${gate.output}`,
      });
      return "retry";
    }
    return fail(deps, task, `its merge failed the verification gate ${task.attempts} time(s); last output: ${lastLine(gate.output)}`, "gate");
  }
  if (gate) bus.emit("gate:passed", { runId, taskId: task.id, durationMs: gate.durationMs });
  const record = { mergeCommit: result.commit, mergeStrategy: result.strategy };
  const [files] = await Promise.all([
    ports.mergedFiles(result.previousHead, result.commit, signal).catch(() => []),
    task.status === "waiting" ? tasks.transition("resolved", task, record) : tasks.transition("merged", task, record),
  ]);
  bus.emit("merge:done", { runId, taskId: task.id, commit: result.commit, strategy: result.strategy, files });
  return "merged";
}

async function fail(deps: TaskRunnerDeps, task: TaskRow, reason: string, errorKind: string, headCommit?: string): Promise<"failed"> {
  await deps.tasks.transition("fail", task, { reason, headCommit, finishedAt: new Date() });
  deps.bus.emit("task:failed", { runId: deps.runId, taskId: task.id, attempt: task.attempts, reason, errorKind });
  return "failed";
}

function lastLine(text: string): string {
  return text.trim().split("\n").slice(-1)[0] ?? "";
}

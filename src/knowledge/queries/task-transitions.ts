/**
 * The task lifecycle's statements: one guarded UPDATE per named transition (src/graph/task-lifecycle.ts owns
 * the table of which status each may leave and enter, and passes it in). A statement changes the row only when
 * the task is in one of `from` AND at the caller's attempt; otherwise it returns undefined and writes nothing.
 */
import type pg from "pg";
import type { InterruptionCause, TaskStatus } from "../../core/index.js";
import { TASK_COLUMNS, type TaskRow } from "./tasks.js";

/** Which row, at which attempt, may move from which statuses to which. */
export interface TransitionGuard {
  runId: string;
  taskId: string;
  attempt: number;
  from: readonly TaskStatus[];
  to: TaskStatus;
}

const WHERE = "WHERE t.run_id = $1 AND t.id = $2 AND t.attempts = $3 AND t.status = ANY($4::text[])";

async function guarded(pool: pg.Pool, g: TransitionGuard, sets: string, values: unknown[]): Promise<TaskRow | undefined> {
  const { rows } = await pool.query<TaskRow>(`UPDATE tasks t SET status = $5, ${sets} ${WHERE} RETURNING ${TASK_COLUMNS}`, [
    g.runId,
    g.taskId,
    g.attempt,
    g.from,
    g.to,
    ...values,
  ]);
  return rows[0];
}

export function startTaskRow(pool: pg.Pool, g: TransitionGuard, a: { worktree: string; branch: string; startedAt: Date }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "attempts = t.attempts + 1, worktree = $6, branch = $7, started_at = $8, reason = NULL, interrupted_by = NULL", [a.worktree, a.branch, a.startedAt]);
}

export function endSessionRow(pool: pg.Pool, g: TransitionGuard, a: { headCommit: string; finishedAt: Date; durationMs: number }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "head_commit = $6, finished_at = $7, duration_ms = $8, feedback = NULL", [a.headCommit, a.finishedAt, a.durationMs]);
}

/** `merged` and `resolved`: the merge commit and how it was made. */
export function mergeTaskRow(pool: pg.Pool, g: TransitionGuard, a: { mergeCommit: string; mergeStrategy: string }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "merge_commit = $6, merge_strategy = $7, reason = NULL", [a.mergeCommit, a.mergeStrategy]);
}

/** `waitForReview` and `skip`: only the reason changes with the status. */
export function reasonTaskRow(pool: pg.Pool, g: TransitionGuard, a: { reason: string }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "reason = $6", [a.reason]);
}

export function failTaskRow(pool: pg.Pool, g: TransitionGuard, a: { reason: string; headCommit?: string | undefined; finishedAt: Date }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "reason = $6, head_commit = COALESCE($7, t.head_commit), finished_at = $8", [a.reason, a.headCommit ?? null, a.finishedAt]);
}

export function interruptTaskRow(pool: pg.Pool, g: TransitionGuard, a: { cause: InterruptionCause; reason: string; headCommit?: string | undefined }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "interrupted_by = $6, reason = $7, head_commit = COALESCE($8, t.head_commit)", [a.cause, a.reason, a.headCommit ?? null]);
}

export function retryTaskRow(pool: pg.Pool, g: TransitionGuard, a: { reason: string; feedback: string }): Promise<TaskRow | undefined> {
  return guarded(pool, g, "reason = $6, feedback = $7, head_commit = NULL", [a.reason, a.feedback]);
}

/** The status and attempt of a task, to say why a transition was refused. */
export async function taskState(pool: pg.Pool, runId: string, taskId: string): Promise<{ status: TaskStatus; attempts: number } | undefined> {
  const { rows } = await pool.query<{ status: TaskStatus; attempts: number }>("SELECT status, attempts FROM tasks WHERE run_id = $1 AND id = $2", [runId, taskId]);
  return rows[0];
}

/** Forgets the worktree of a merged task once it is removed (resume does not look for it again). */
export async function clearTaskWorktree(pool: pg.Pool, runId: string, taskId: string, attempt: number): Promise<void> {
  await pool.query("UPDATE tasks SET worktree = NULL WHERE run_id = $1 AND id = $2 AND attempts = $3 AND status = 'merged'", [runId, taskId, attempt]);
}

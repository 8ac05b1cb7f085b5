/**
 * The task store in memory, for unit tests of the execute loop: the same transition table and field effects
 * as the PostgreSQL store (task-lifecycle.ts's `applyTransition`), the same errors.
 */
import { IllegalTransitionError, StaleAttemptError } from "../core/index.js";
import type { TaskRow } from "../knowledge/index.js";
import { applyTransition, canTransition, type TransitionArgs, type TransitionName } from "./task-lifecycle.js";
import type { TaskKey, TaskStore } from "./task-store.js";

export class MemoryTaskStore implements TaskStore {
  private readonly rows = new Map<string, TaskRow>();
  /** Every transition applied, in order (what a test asserts on). */
  readonly log: { name: TransitionName; taskId: string; attempt: number }[] = [];

  constructor(rows: TaskRow[]) {
    for (const row of rows) this.rows.set(row.id, structuredClone(row));
  }

  get(id: string): TaskRow {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no task ${id}`);
    return structuredClone(row);
  }

  list(): Promise<TaskRow[]> {
    return Promise.resolve([...this.rows.values()].sort((a, b) => a.position - b.position).map((r) => structuredClone(r)));
  }

  transition<N extends TransitionName>(name: N, key: TaskKey, args: TransitionArgs[N]): Promise<TaskRow> {
    const row = this.rows.get(key.id);
    if (!row) return Promise.reject(new IllegalTransitionError(key.id, name, "missing"));
    if (row.attempts !== key.attempts) return Promise.reject(new StaleAttemptError(key.id, key.attempts, row.attempts));
    if (!canTransition(name, row.status)) return Promise.reject(new IllegalTransitionError(key.id, name, row.status));
    const next: TaskRow = { ...row, ...applyTransition(row, name, args) };
    this.rows.set(key.id, next);
    this.log.push({ name, taskId: key.id, attempt: next.attempts });
    return Promise.resolve(structuredClone(next));
  }

  worktreeReleased(key: TaskKey): Promise<void> {
    const row = this.rows.get(key.id);
    if (row && row.attempts === key.attempts && row.status === "merged") this.rows.set(key.id, { ...row, worktree: null });
    return Promise.resolve();
  }

  markInterruptedSessions(): Promise<void> {
    return Promise.resolve();
  }
}

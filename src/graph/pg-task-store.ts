/** The task store over PostgreSQL: each transition is one guarded statement (knowledge/queries/task-transitions.ts). */
import type pg from "pg";
import { IllegalTransitionError, StaleAttemptError } from "../core/index.js";
import {
  clearTaskWorktree,
  endSessionRow,
  failTaskRow,
  interruptTaskRow,
  listTasks,
  markInterruptedSessions,
  mergeTaskRow,
  reasonTaskRow,
  retryTaskRow,
  startTaskRow,
  taskState,
  type TaskRow,
  type TransitionGuard,
} from "../knowledge/index.js";
import { TRANSITIONS, type TransitionArgs, type TransitionName } from "./task-lifecycle.js";
import type { TaskKey, TaskStore } from "./task-store.js";

type Statement<N extends TransitionName> = (pool: pg.Pool, guard: TransitionGuard, args: TransitionArgs[N]) => Promise<TaskRow | undefined>;

const STATEMENTS: { [N in TransitionName]: Statement<N> } = {
  start: startTaskRow,
  sessionEnded: endSessionRow,
  merged: mergeTaskRow,
  waitForReview: reasonTaskRow,
  resolved: mergeTaskRow,
  fail: failTaskRow,
  skip: reasonTaskRow,
  interrupt: interruptTaskRow,
  retry: retryTaskRow,
};

export class PgTaskStore implements TaskStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly runId: string,
  ) {}

  list(): Promise<TaskRow[]> {
    return listTasks(this.pool, this.runId);
  }

  async transition<N extends TransitionName>(name: N, key: TaskKey, args: TransitionArgs[N]): Promise<TaskRow> {
    const rule = TRANSITIONS[name];
    const guard: TransitionGuard = { runId: this.runId, taskId: key.id, attempt: key.attempts, from: rule.from, to: rule.to };
    const statement = STATEMENTS[name] as Statement<N>;
    const row = await statement(this.pool, guard, args);
    if (row) return row;
    const now = await taskState(this.pool, this.runId, key.id);
    if (now && now.attempts !== key.attempts) throw new StaleAttemptError(key.id, key.attempts, now.attempts);
    throw new IllegalTransitionError(key.id, name, now?.status ?? "missing");
  }

  worktreeReleased(key: TaskKey): Promise<void> {
    return clearTaskWorktree(this.pool, this.runId, key.id, key.attempts);
  }

  async markInterruptedSessions(): Promise<void> {
    await markInterruptedSessions(this.pool, this.runId);
  }
}

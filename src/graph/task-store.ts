/**
 * Where the execute loop reads tasks and changes their status: only through the lifecycle's named transitions
 * (task-lifecycle.ts). `pg-task-store.ts` is the real one; `memory-task-store.ts` serves unit tests.
 */
import type { TaskRow } from "../knowledge/index.js";
import type { TransitionArgs, TransitionName } from "./task-lifecycle.js";

/** A task as a transition addresses it: by id, at the attempt the caller believes current. */
export interface TaskKey {
  id: string;
  attempts: number;
}

export interface TaskStore {
  list(): Promise<TaskRow[]>;
  /**
   * Applies a transition to the task at `key.attempts`. Throws StaleAttemptError when the task has moved to
   * another attempt, IllegalTransitionError when its status does not allow it; nothing is written then.
   */
  transition<N extends TransitionName>(name: N, key: TaskKey, args: TransitionArgs[N]): Promise<TaskRow>;
  /** Forgets a merged task's worktree once it was removed. */
  worktreeReleased(key: TaskKey): Promise<void>;
  /** Sessions left `running` by a process that died: marked interrupted. */
  markInterruptedSessions(): Promise<void>;
}

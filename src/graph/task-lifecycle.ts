/**
 * The task lifecycle: every change of a task's status is one of these named transitions, and nothing else
 * writes `tasks.status`. Each transition names the statuses it may leave and the one it enters; the stores
 * (`pg-task-store.ts` over one guarded SQL statement each, `memory-task-store.ts` for unit tests) refuse
 * anything else with an IllegalTransitionError, and a transition of an older attempt with a StaleAttemptError.
 * docs/task-lifecycle.md draws this table (a unit test keeps the two equal).
 */
import type { InterruptionCause, TaskStatus } from "../core/index.js";
import type { TaskRow } from "../knowledge/index.js";

export interface TransitionRule {
  from: readonly TaskStatus[];
  to: TaskStatus;
}

export const TRANSITIONS = {
  /** A worker takes the task: a new attempt number, its worktree recorded. */
  start: { from: ["pending"], to: "running" },
  /** The session succeeded and its work is committed on the task branch. */
  sessionEnded: { from: ["running"], to: "completed" },
  /** The task's work is on the integration branch (and the verification gate passed). */
  merged: { from: ["completed"], to: "merged" },
  /** Its merge conflicts: it waits in the review queue while the run goes on. */
  waitForReview: { from: ["completed", "waiting"], to: "waiting" },
  /** A person's resolution of its conflict was merged. */
  resolved: { from: ["waiting"], to: "merged" },
  /** The session, its setup or the gate failed for good (or kappa itself failed on it, even before it started). */
  fail: { from: ["pending", "running", "completed", "waiting"], to: "failed" },
  /** A task it depends on failed. */
  skip: { from: ["pending"], to: "skipped" },
  /** The orchestrator died or the run was stopped while the session ran: it restarts, continuing its conversation. */
  interrupt: { from: ["running"], to: "pending" },
  /** Its merge failed the verification gate: it runs again with the test output as feedback. */
  retry: { from: ["completed", "waiting"], to: "pending" },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof TRANSITIONS;

/** What each transition writes besides the status (the stores write exactly these fields). */
export interface TransitionArgs {
  start: { worktree: string; branch: string; startedAt: Date };
  sessionEnded: { headCommit: string; finishedAt: Date; durationMs: number };
  merged: { mergeCommit: string; mergeStrategy: string };
  waitForReview: { reason: string };
  resolved: { mergeCommit: string; mergeStrategy: string };
  fail: { reason: string; headCommit?: string | undefined; finishedAt: Date };
  skip: { reason: string };
  interrupt: { cause: InterruptionCause; reason: string; headCommit?: string | undefined };
  retry: { reason: string; feedback: string };
}

/** The columns a transition may change: a subset of the task row. */
export type LifecycleFields = Pick<
  TaskRow,
  "status" | "attempts" | "reason" | "interruptedBy" | "worktree" | "branch" | "headCommit" | "mergeCommit" | "mergeStrategy" | "feedback" | "startedAt" | "finishedAt" | "durationMs"
>;

export function canTransition(name: TransitionName, status: TaskStatus): boolean {
  return (TRANSITIONS[name].from as readonly TaskStatus[]).includes(status);
}

/**
 * The row after a transition, as a pure function (the in-memory store applies it; the SQL statements in
 * knowledge/queries/task-transitions.ts write the same fields). The caller has checked status and attempt.
 */
export function applyTransition<N extends TransitionName>(row: LifecycleFields, name: N, args: TransitionArgs[N]): LifecycleFields {
  const to = TRANSITIONS[name].to;
  const a = args;
  switch (name) {
    case "start": {
      const s = a as TransitionArgs["start"];
      return { ...row, status: to, attempts: row.attempts + 1, worktree: s.worktree, branch: s.branch, startedAt: s.startedAt, reason: null, interruptedBy: null };
    }
    case "sessionEnded": {
      const s = a as TransitionArgs["sessionEnded"];
      return { ...row, status: to, headCommit: s.headCommit, finishedAt: s.finishedAt, durationMs: s.durationMs, feedback: null };
    }
    case "merged":
    case "resolved": {
      const s = a as TransitionArgs["merged"];
      return { ...row, status: to, mergeCommit: s.mergeCommit, mergeStrategy: s.mergeStrategy, reason: null };
    }
    case "waitForReview":
    case "skip":
      return { ...row, status: to, reason: (a as TransitionArgs["skip"]).reason };
    case "fail": {
      const s = a as TransitionArgs["fail"];
      return { ...row, status: to, reason: s.reason, headCommit: s.headCommit ?? row.headCommit, finishedAt: s.finishedAt };
    }
    case "interrupt": {
      const s = a as TransitionArgs["interrupt"];
      return { ...row, status: to, reason: s.reason, interruptedBy: s.cause, headCommit: s.headCommit ?? row.headCommit };
    }
    case "retry": {
      const s = a as TransitionArgs["retry"];
      return { ...row, status: to, reason: s.reason, feedback: s.feedback, headCommit: null };
    }
    default:
      throw new Error(`unknown transition ${String(name)}`);
  }
}

/** The lifecycle as a Mermaid state diagram (docs/task-lifecycle.md holds this text). */
export function lifecycleMermaid(): string {
  const lines = ["stateDiagram-v2", "  [*] --> pending"];
  for (const [name, rule] of Object.entries(TRANSITIONS) as [TransitionName, TransitionRule][]) {
    for (const from of rule.from) lines.push(`  ${from} --> ${rule.to}: ${name}`);
  }
  lines.push("  merged --> [*]", "  failed --> [*]", "  skipped --> [*]");
  return lines.join("\n");
}

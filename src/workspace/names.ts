/**
 * Names kappa gives to its branches and worktrees. Everything kappa creates lives under `kappa/<run>/…` and
 * `.kappa/worktrees/<run>/…`, so cleanup can recognise its own leftovers and never touch anything else.
 */
import { join } from "node:path";
import { InputError, RESERVED_TASK_IDS, TASK_ID_PATTERN, TASK_ID_RULE, projectPaths } from "../core/index.js";

export { RESERVED_TASK_IDS };

/** A run id becomes a branch component and a directory name. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The last component of a run's integration branch; a task with this id would collide with it. */
export const INTEGRATION_BRANCH_LEAF = "main";

/** Throws {@link InputError} for a run id that could not safely be a branch component. */
export function assertRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new InputError(`invalid run id "${runId}"`, { hint: "a run id is 1-64 letters, digits, '_' or '-', starting with a letter or digit" });
  }
}

/** Throws {@link InputError} for a task id that is not a valid or is a reserved branch component. */
export function assertTaskId(taskId: string): void {
  if (!TASK_ID_PATTERN.test(taskId)) {
    throw new InputError(`invalid task id "${taskId}"`, { hint: `a task id is ${TASK_ID_RULE}` });
  }
  if (RESERVED_TASK_IDS.includes(taskId)) {
    throw new InputError(`task id "${taskId}" is reserved`, { hint: `rename the task: kappa/<run>/${taskId} is the run's integration branch` });
  }
}

/** The branch every finished task of run `runId` is merged into. */
export function integrationBranch(runId: string): string {
  assertRunId(runId);
  return `kappa/${runId}/${INTEGRATION_BRANCH_LEAF}`;
}

/** The branch a task's worktree is on. */
export function taskBranch(runId: string, taskId: string): string {
  assertRunId(runId);
  assertTaskId(taskId);
  return `kappa/${runId}/${taskId}`;
}

/** Where a task's worktree lives: inside the project's `.kappa/`, so it never clutters the user's tree. */
export function taskWorktreePath(repo: string, runId: string, taskId: string): string {
  assertRunId(runId);
  assertTaskId(taskId);
  return join(projectPaths(repo).worktreesDir, runId, taskId);
}

/** What a `kappa/…` branch name means, or undefined for a branch that is not kappa's. */
export type KappaBranch =
  | { kind: "integration"; runId: string; branch: string }
  | { kind: "task"; runId: string; taskId: string; branch: string };

/** Recognises kappa's own branches by shape; anything else under `kappa/` is left alone. */
export function parseKappaBranch(branch: string): KappaBranch | undefined {
  const parts = branch.split("/");
  if (parts.length !== 3 || parts[0] !== "kappa") return undefined;
  const runId = parts[1] ?? "";
  const leaf = parts[2] ?? "";
  if (!RUN_ID_PATTERN.test(runId)) return undefined;
  if (leaf === INTEGRATION_BRANCH_LEAF) return { kind: "integration", runId, branch };
  if (!TASK_ID_PATTERN.test(leaf)) return undefined;
  return { kind: "task", runId, taskId: leaf, branch };
}

export { git, gitText } from "./git.js";
export type { GitOptions, GitResult } from "./git.js";
export { findRepoRoot, gitVersion } from "./repo.js";
export {
  integrationBranch,
  taskBranch,
  taskWorktreePath,
  parseKappaBranch,
  assertRunId,
  assertTaskId,
  RUN_ID_PATTERN,
  RESERVED_TASK_IDS,
} from "./names.js";
export type { KappaBranch } from "./names.js";
export { createIntegrationBranch } from "./integration.js";
export { findMergeOf } from "./find-merge.js";
export type { FoundMerge } from "./find-merge.js";
export type { CreateIntegrationBranchOptions, IntegrationBranchInfo } from "./integration.js";
export { prepareTaskWorktree } from "./worktree.js";
export type { PrepareTaskWorktreeOptions, TaskWorktree } from "./worktree.js";
export { commitTaskWork, taskCommitMessage } from "./commit.js";
export type { CommitTaskWorkOptions, TaskCommit } from "./commit.js";
export { checkoutChangeRecord, compareCheckout, describeCheckoutChange, snapshotCheckout, KAPPA_REF_PREFIX } from "./checkout-guard.js";
export type { CheckoutChange, CheckoutSnapshot } from "./checkout-guard.js";
export { checkoutFingerprint } from "./checkout-fingerprint.js";
export { DEFAULT_NEVER_COMMIT, keptOutFiles } from "./never-commit.js";
export type { KeptOutFile, KeptOutReason } from "./never-commit.js";
export { prepareTaskEnvironment, taskEnv, taskPortBase } from "./environment.js";
export type { PrepareTaskEnvironmentOptions, TaskEnvironment } from "./environment.js";
export { runShell } from "./run-shell.js";
export type { RunShellOptions, ShellResult } from "./run-shell.js";
export { runInProcessGroup, shellArgv } from "./process-group.js";
export type { ProcessGroupOptions, ProcessGroupResult } from "./process-group.js";
export { findLeftovers, worktreeChanges } from "./leftovers.js";
export type { Leftover, LeftoverKind, FindLeftoversOptions } from "./leftovers.js";
export { cleanLeftovers } from "./cleanup.js";
export type { CleanOptions, CleanResult, KeptItem } from "./cleanup.js";
export { mergeToUserBranch } from "./merge-to.js";
export type { MergeToUserBranchOptions, MergeToResult } from "./merge-to.js";
export { ensureKappaIgnored } from "./ignore.js";
export { resolveCommit, requireCommit, isAncestor, listWorktrees } from "./refs.js";
export type { WorktreeEntry } from "./refs.js";
export { processesInside, killSessionInside, killAgentSessionsInside } from "./stray-processes.js";
export { withWorktreeLock } from "./worktree-lock.js";
export { forgetWorktree, worktreeGitDir, worktreeHeadCommit } from "./worktree-files.js";

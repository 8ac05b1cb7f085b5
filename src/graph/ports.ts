/**
 * What the pipeline needs from the world, as small interfaces. `real-ports.ts` wires them to git, the session
 * pool and the merge resolver; tests and benchmarks can wire instant ones.
 */
import type { TaskRow } from "../knowledge/index.js";
import type { CheckoutChange } from "../workspace/index.js";

export interface PreparedWorkspace {
  dir: string;
  branch: string;
  env: Record<string, string>;
  /** Set when the configured setup command failed: the task fails with this output. */
  setupFailure?: string | undefined;
}

export interface SessionOutcome {
  ok: boolean;
  reason?: string | undefined;
  errorKind?: string | undefined;
  costUsd: number;
  attempts: number;
  filesChanged: string[];
}

export type MergeResult =
  | {
      status: "merged";
      commit: string;
      previousHead: string;
      strategy: string;
      /** Merged before a crash, with later merges on top: its gate passed then, and it cannot be reverted alone. */
      settled?: boolean;
    }
  | { status: "conflict"; files: string[]; conflictId: string };

export interface MergeRequest {
  head: string;
  /** When the task's session finished (ms since the epoch): the "newer" strategies compare it. */
  finishedAt: number;
  afterCrash: boolean;
}

export interface ResolvedConflict {
  conflictId: string;
  taskId: string;
}

export interface RunPorts {
  integrationHead(signal: AbortSignal): Promise<string>;
  /**
   * What changed in the user's checkout (HEAD, branch, non-kappa refs, index) since this run (or resume) started,
   * and moves of the integration branch by anything but kappa (each already undone). `integrationBranch`: also
   * compare the branch with the head kappa recorded now (only while no merge is in flight; merges check it
   * themselves before they start). Empty when nothing changed.
   */
  checkCheckout?(signal: AbortSignal, options?: { integrationBranch?: boolean }): Promise<CheckoutChange[]>;
  prepareWorkspace(task: TaskRow, from: string, signal: AbortSignal): Promise<PreparedWorkspace>;
  /**
   * Runs the task's session for its current attempt (`task.attempts`, recorded on the session rows).
   * `continueConversation`: the last attempt was cut short by a crash or a stop; continue its conversation.
   */
  runSession(task: TaskRow, workspace: PreparedWorkspace, options: { signal: AbortSignal; feedback?: string | undefined; priority: number; continueConversation: boolean }): Promise<SessionOutcome>;
  /**
   * Commits whatever the session left in the worktree (its trailers name the attempt); returns the branch head.
   * `keptOut`: changed files left out of the commit (an agent's temp files, secret files).
   */
  commitWork(task: TaskRow, workspace: { dir: string }, signal: AbortSignal): Promise<{ commit: string; created: boolean; files: string[]; keptOut?: { path: string; reason: "temp-file" | "secret-file" }[] }>;
  /** Stops agent processes a killed orchestrator left running in a task's worktree; returns how many. */
  stopStrayProcesses(dir: string): Promise<number>;
  /** Removes a worktree whose work is committed (never forces). */
  releaseWorkspace(dir: string): Promise<void>;
  /**
   * Merges the task's head into the integration branch (resolving what the strategy chain can); the merge
   * commit names the attempt. `afterCrash`: the task was completed before this process started, so the merge
   * may have been made already (the branch moved, the task row not yet): find it instead of merging again.
   */
  merge(task: TaskRow, request: MergeRequest, signal: AbortSignal): Promise<MergeResult>;
  /** Files that differ between two integration commits (what a merge brought in). */
  mergedFiles(from: string, to: string, signal: AbortSignal): Promise<string[]>;
  /** Conflicts of this run that someone resolved and that were not applied yet. */
  resolvedConflicts(): Promise<ResolvedConflict[]>;
  applyResolution(conflictId: string, signal: AbortSignal): Promise<MergeResult>;
  /** Runs the verification gate on a commit; undefined when no test command is configured. */
  gate(commit: string, signal: AbortSignal): Promise<{ ok: boolean; output: string; durationMs: number } | undefined>;
  /** Moves the integration branch back from `from` to `to` (compare-and-swap). */
  revertIntegration(to: string, from: string, signal: AbortSignal): Promise<void>;
}

/**
 * A run's integration branch: created with `update-ref` from the user's commit, never by checking anything
 * out, so the user's checkout, index and branch stay exactly as they were.
 */
import { GitError } from "../core/index.js";
import { git, gitText } from "./git.js";
import { integrationBranch } from "./names.js";
import { requireCommit, resolveCommit } from "./refs.js";

export interface CreateIntegrationBranchOptions {
  repo: string;
  runId: string;
  /** What the run starts from. @default "HEAD" (the user's current commit) */
  base?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface IntegrationBranchInfo {
  branch: string;
  /**
   * The commit the run started from. For a branch that already existed (resume) this is its merge base with
   * `base`; the run's recorded `base_commit` is authoritative.
   */
  baseCommit: string;
  /** The branch's current head. */
  head: string;
  /** False when the branch already existed and was kept as it is (resume). */
  created: boolean;
}

/** Creates `kappa/<run>/main` at `base`, or keeps an existing one untouched so that resume loses no merge. */
export async function createIntegrationBranch(options: CreateIntegrationBranchOptions): Promise<IntegrationBranchInfo> {
  const { repo, runId, signal } = options;
  const branch = integrationBranch(runId);
  const ref = `refs/heads/${branch}`;
  const base = options.base ?? "HEAD";
  const baseCommit = await requireCommit(repo, base, "the run's base", signal);
  const existing = await resolveCommit(repo, ref, signal);
  if (existing !== undefined) return kept(repo, branch, existing, baseCommit, signal);
  // An empty old value makes the update fail if another process created the branch meanwhile.
  const result = await git(["update-ref", "-m", `kappa: integration branch of run ${runId}`, ref, baseCommit, ""], { cwd: repo, signal, okCodes: [0, 1, 128] });
  if (result.code !== 0) {
    const raced = await resolveCommit(repo, ref, signal);
    if (raced !== undefined) return kept(repo, branch, raced, baseCommit, signal);
    throw new GitError(`cannot create the integration branch ${branch}: ${result.stderr.trim()}`, result.stderr, {
      hint: `check that no branch named "kappa" or "kappa/${runId}" exists (git branch --list 'kappa*')`,
    });
  }
  return { branch, baseCommit, head: baseCommit, created: true };
}

async function kept(repo: string, branch: string, head: string, baseCommit: string, signal: AbortSignal | undefined): Promise<IntegrationBranchInfo> {
  const mergeBase = await git(["merge-base", head, baseCommit], { cwd: repo, signal, okCodes: [0, 1] });
  const fork = mergeBase.code === 0 ? mergeBase.stdout.trim() : await gitText(["rev-parse", head], { cwd: repo, signal });
  return { branch, baseCommit: fork, head, created: false };
}

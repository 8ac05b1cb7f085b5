/**
 * Task worktrees: one per task under `.kappa/worktrees/<run>/<task>` on branch `kappa/<run>/<task>`, started from
 * the integration branch's head so that it holds its dependencies' merged work. On resume an existing worktree
 * or branch is reused as it is: its commits and uncommitted files are the task's work so far.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, rmdirSync } from "node:fs";
import { dirname } from "node:path";
import { GitError } from "../core/index.js";
import { git } from "./git.js";
import { ensureKappaIgnored } from "./ignore.js";
import { taskBranch, taskWorktreePath } from "./names.js";
import { withWorktreeLock } from "./worktree-lock.js";
import { listWorktrees, requireCommit, resolveCommit } from "./refs.js";

export interface PrepareTaskWorktreeOptions {
  repo: string;
  runId: string;
  taskId: string;
  /** The commit a new worktree starts from, normally the integration branch's head. Ignored when reused. */
  from: string;
  signal?: AbortSignal | undefined;
}

export interface TaskWorktree {
  dir: string;
  branch: string;
  /** True when an existing worktree or branch was kept (resume): it may hold commits and uncommitted files. */
  reused: boolean;
}

/** Real path, so that paths compare equal to what `git worktree list` prints (macOS /var → /private/var). */
export function canonicalRepo(repo: string): string {
  return realpathSync(repo);
}

export async function prepareTaskWorktree(options: PrepareTaskWorktreeOptions): Promise<TaskWorktree> {
  const repo = canonicalRepo(options.repo);
  const { runId, taskId, signal } = options;
  const branch = taskBranch(runId, taskId);
  const dir = taskWorktreePath(repo, runId, taskId);
  await ensureKappaIgnored(repo, signal);
  // The common case, a task starting for the first time, takes one git process under the lock. When the branch
  // exists already (a resumed task whose worktree went), `worktree add -b` refuses and the full path reuses it.
  if (!existsSync(dir) && /^[0-9a-f]{40}$/.test(options.from)) {
    mkdirSync(dirname(dir), { recursive: true });
    const added = await withWorktreeLock(repo, () =>
      git(["worktree", "add", "--quiet", "--no-track", "-b", branch, dir, options.from], { cwd: repo, signal }).then(
        () => true,
        () => false, // an existing branch or a stale registration of this path: the full path below sorts it out
      ),
    );
    if (added) return { dir, branch, reused: false };
  }
  return withWorktreeLock(repo, () => prepare(repo, options));
}

async function prepare(repo: string, options: PrepareTaskWorktreeOptions): Promise<TaskWorktree> {
  const { runId, taskId, signal } = options;
  const branch = taskBranch(runId, taskId);
  const dir = taskWorktreePath(repo, runId, taskId);
  await ensureKappaIgnored(repo, signal);

  let worktrees = await listWorktrees(repo, signal);
  const registered = worktrees.find((w) => w.path === dir);
  if (registered?.prunable) {
    // Registered, but its directory is gone: nothing to keep there; its commits are on its branch.
    await git(["worktree", "prune"], { cwd: repo, signal });
    worktrees = await listWorktrees(repo, signal);
  } else if (registered) {
    if (registered.branch !== branch) {
      throw new GitError(`the worktree ${dir} is on ${registered.branch ?? "a detached HEAD"}, not on ${branch}`, "", {
        hint: `check it out again with \`git -C ${dir} checkout ${branch}\` (after committing anything you need there), or move that worktree away`,
      });
    }
    return { dir, branch, reused: true };
  }

  const elsewhere = worktrees.find((w) => w.branch === branch);
  if (elsewhere) {
    throw new GitError(`branch ${branch} is checked out in ${elsewhere.path}`, "", {
      hint: `switch that worktree to another branch (git -C ${elsewhere.path} switch --detach), then resume the run`,
    });
  }
  if (existsSync(dir)) {
    if (readdirSync(dir).length > 0) {
      throw new GitError(`${dir} exists but is not a git worktree of this repository`, "", {
        hint: `move it away (it may hold files from an interrupted run), then resume the run`,
      });
    }
    rmdirSync(dir);
  }
  mkdirSync(dirname(dir), { recursive: true });

  const existing = await resolveCommit(repo, `refs/heads/${branch}`, signal);
  if (existing !== undefined) {
    await git(["worktree", "add", "--quiet", dir, branch], { cwd: repo, signal });
    return { dir, branch, reused: true };
  }
  const from = await requireCommit(repo, options.from, "the task's starting point", signal);
  await git(["worktree", "add", "--quiet", "--no-track", "-b", branch, dir, from], { cwd: repo, signal });
  return { dir, branch, reused: false };
}

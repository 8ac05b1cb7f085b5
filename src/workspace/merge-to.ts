/**
 * `--merge-to <branch>`: the only time kappa moves one of the user's branches, and only by fast-forward, so
 * that nothing on it can be lost. A branch checked out somewhere is updated there (only when that checkout has
 * no uncommitted changes to tracked files); a branch checked out nowhere is moved with a compare-and-swap.
 */
import { git } from "./git.js";
import { isAncestor, listWorktrees, resolveCommit } from "./refs.js";

export interface MergeToUserBranchOptions {
  repo: string;
  /** The run's integration branch (or any commit-ish). */
  integrationBranch: string;
  /** A local branch of the user's, e.g. "main". */
  target: string;
  signal?: AbortSignal | undefined;
}

export interface MergeToResult {
  status: "updated" | "up-to-date" | "refused";
  /** Why it was refused, and what to run instead. */
  reason?: string | undefined;
  /** The command the user can run instead, when refused. */
  hint?: string | undefined;
  /** The target's head afterwards. */
  commit?: string | undefined;
}

export async function mergeToUserBranch(options: MergeToUserBranchOptions): Promise<MergeToResult> {
  const { repo, target, signal } = options;
  const source = options.integrationBranch;
  const instead = `git switch ${target} && git merge ${source}`;
  const next = await resolveCommit(repo, source, signal);
  if (next === undefined) return { status: "refused", reason: `${source} does not exist`, hint: "check the run's integration branch with `git branch --list 'kappa/*'`" };
  const ref = `refs/heads/${target}`;
  const old = await resolveCommit(repo, ref, signal);
  if (old === undefined) {
    return { status: "refused", reason: `there is no branch named ${target}`, hint: `create it from the result with \`git branch ${target} ${source}\`` };
  }
  if (old === next || (await isAncestor(repo, next, old, signal))) return { status: "up-to-date", commit: old };
  if (!(await isAncestor(repo, old, next, signal))) {
    return {
      status: "refused",
      reason: `${target} has commits that ${source} does not contain, so it cannot be fast-forwarded`,
      hint: `merge it yourself: ${instead}`,
      commit: old,
    };
  }

  const checkout = (await listWorktrees(repo, signal)).find((w) => w.branch === target && !w.prunable);
  if (checkout) {
    const changed = await trackedChanges(checkout.path, signal);
    if (changed.length > 0) {
      return {
        status: "refused",
        reason: `your checkout of ${target} (${checkout.path}) has uncommitted changes (${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ", …" : ""})`,
        hint: `commit or stash them, then run \`git merge --ff-only ${source}\` there`,
        commit: old,
      };
    }
    const merge = await git(["merge", "--ff-only", "--quiet", next], { cwd: checkout.path, signal, okCodes: [0, 1, 128] });
    if (merge.code !== 0) {
      return { status: "refused", reason: `git could not fast-forward your checkout of ${target}: ${merge.stderr.trim().split("\n").pop() ?? ""}`, hint: `run \`git merge --ff-only ${source}\` in ${checkout.path} and follow git's advice`, commit: old };
    }
    return { status: "updated", commit: next };
  }
  const update = await git(["update-ref", "-m", `kappa: fast-forward to ${source}`, ref, next, old], { cwd: repo, signal, okCodes: [0, 1, 128] });
  if (update.code !== 0) {
    return { status: "refused", reason: `${target} changed while kappa was updating it`, hint: `try again, or merge it yourself: ${instead}`, commit: old };
  }
  return { status: "updated", commit: next };
}

/** Staged or unstaged changes to tracked files; untracked files are protected by `git merge` itself. */
async function trackedChanges(dir: string, signal: AbortSignal | undefined): Promise<string[]> {
  const out = (await git(["status", "--porcelain=v1", "-z", "--untracked-files=no"], { cwd: dir, signal })).stdout;
  return out.split("\0").filter((f) => f.length > 3).map((f) => f.slice(3));
}

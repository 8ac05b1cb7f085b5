/**
 * Small read-only questions about refs, commits and worktrees that several workspace operations ask.
 */
import { GitError } from "../core/index.js";
import { git, gitText } from "./git.js";

/** The commit `rev` names, or undefined when it names nothing (expected on first start). */
export async function resolveCommit(repo: string, rev: string, signal?: AbortSignal): Promise<string | undefined> {
  const result = await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { cwd: repo, signal, okCodes: [0, 1, 128] });
  const sha = result.stdout.trim();
  return result.code === 0 && sha ? sha : undefined;
}

/** Like {@link resolveCommit} but a missing commit is a {@link GitError} naming what was asked for. */
export async function requireCommit(repo: string, rev: string, what: string, signal?: AbortSignal): Promise<string> {
  const sha = await resolveCommit(repo, rev, signal);
  if (sha === undefined) {
    throw new GitError(`${what} "${rev}" is not a commit in ${repo}`, "", {
      hint: rev === "HEAD" ? "commit at least once in the repository, then try again" : `check that "${rev}" exists: git log -1 ${rev}`,
    });
  }
  return sha;
}

/** Whether commit `ancestor` is reachable from `descendant` (so nothing in it would be lost). */
export async function isAncestor(repo: string, ancestor: string, descendant: string, signal?: AbortSignal): Promise<boolean> {
  const result = await git(["merge-base", "--is-ancestor", ancestor, descendant], { cwd: repo, signal, okCodes: [0, 1] });
  return result.code === 0;
}

/** Commits reachable from `tip` but not from `base`. */
export async function countCommitsNotIn(repo: string, tip: string, base: string, signal?: AbortSignal): Promise<number> {
  return Number(await gitText(["rev-list", "--count", tip, `^${base}`, "--"], { cwd: repo, signal }));
}

/** Names of local branches that contain `commit`. */
export async function branchesContaining(repo: string, commit: string, signal?: AbortSignal): Promise<string[]> {
  const out = await gitText(["for-each-ref", "--format=%(refname:short)", "--contains", commit, "refs/heads/"], { cwd: repo, signal });
  return out ? out.split("\n") : [];
}

export interface WorktreeEntry {
  path: string;
  head: string | undefined;
  /** Short branch name, undefined when detached. */
  branch: string | undefined;
  bare: boolean;
  locked: boolean;
  /** Registered but its directory is gone. */
  prunable: boolean;
}

/** `git worktree list --porcelain -z`, parsed. The first entry is the main worktree. */
export async function listWorktrees(repo: string, signal?: AbortSignal): Promise<WorktreeEntry[]> {
  const out = (await git(["worktree", "list", "--porcelain", "-z"], { cwd: repo, signal })).stdout;
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of out.split("\0")) {
    if (field === "") {
      if (current) entries.push(current);
      current = undefined;
      continue;
    }
    const space = field.indexOf(" ");
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      if (current) entries.push(current);
      current = { path: value, head: undefined, branch: undefined, bare: false, locked: false, prunable: false };
    } else if (current) {
      if (key === "HEAD") current.head = value;
      else if (key === "branch") current.branch = value.replace(/^refs\/heads\//, "");
      else if (key === "bare") current.bare = true;
      else if (key === "locked") current.locked = true;
      else if (key === "prunable") current.prunable = true;
    }
  }
  if (current) entries.push(current);
  return entries;
}

/**
 * Paths with uncommitted changes in a worktree: modified, staged, deleted and untracked (not ignored) files.
 * Untracked directories are listed file by file so that nothing is hidden behind a folder name.
 */
export async function changedPaths(dir: string, signal?: AbortSignal): Promise<string[]> {
  const out = (await git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: dir, signal })).stdout;
  const paths: string[] = [];
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? "";
    if (field.length < 4) continue;
    paths.push(field.slice(3));
    // Renames and copies carry their source path in the next field.
    if (field[0] === "R" || field[0] === "C") i++;
  }
  return paths;
}

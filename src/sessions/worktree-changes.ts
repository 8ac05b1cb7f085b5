/**
 * Which files a session changed in its worktree, from git itself: tool events miss changes made through Bash,
 * and a session that committed leaves a clean status but a moved HEAD. git runs through workspace's runner.
 */
import { git } from "../workspace/index.js";

/** git's stdout, or undefined when git fails (not a repository, no commit): a question, never an error. */
async function gitOut(args: string[], cwd: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const r = await git(args, { cwd, signal, env: { GIT_OPTIONAL_LOCKS: "0" }, okCodes: [0] });
    return r.stdout;
  } catch {
    return undefined;
  }
}

/** The worktree's HEAD commit, or undefined when it is not a git worktree (or has no commit). */
export async function worktreeHead(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  return (await gitOut(["rev-parse", "--verify", "-q", "HEAD"], dir, signal))?.trim() || undefined;
}

/**
 * The repository directories behind a worktree (its own git dir and the common one holding refs, objects, hooks
 * and config), absolute; empty when `dir` is not in a repository. The sandbox keeps them read-only.
 */
export async function repositoryDirs(dir: string, signal?: AbortSignal): Promise<string[]> {
  const out = await gitOut(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"], dir, signal);
  return [...new Set((out ?? "").split("\n").map((l) => l.trim()).filter(Boolean))];
}

/**
 * Paths (relative to the worktree, sorted) changed since `baseHead`: uncommitted and untracked changes plus
 * whatever was committed on top of `baseHead`. Undefined when git cannot tell (not a repository).
 */
export async function changedFiles(dir: string, baseHead: string | undefined, signal?: AbortSignal): Promise<string[] | undefined> {
  const status = await gitOut(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"], dir, signal);
  if (status === undefined) return undefined;
  const files = new Set<string>();
  for (const entry of status.split("\0")) if (entry.length > 3) files.add(entry.slice(3));
  if (baseHead) {
    const head = await worktreeHead(dir, signal);
    if (head && head !== baseHead) {
      const diff = await gitOut(["diff", "--name-only", "-z", "--no-renames", baseHead, head], dir, signal);
      for (const file of (diff ?? "").split("\0")) if (file) files.add(file);
    }
  }
  return [...files].sort();
}

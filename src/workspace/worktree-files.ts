/**
 * Two things about a linked worktree read straight from git's files instead of a git process each, because
 * they sit on every task's path: the commit its HEAD names, and its registration under `.git/worktrees/`.
 * Anything unusual (packed or reftable refs, a detached or unborn HEAD in another form) falls back to git.
 */
import { readFileSync, rmSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { gitText } from "./git.js";

const SHA = /^[0-9a-f]{40}$/;

/** The worktree's administrative directory (`<repo>/.git/worktrees/<id>`), from its `.git` file. */
export function worktreeGitDir(dir: string): string | undefined {
  try {
    const line = readFileSync(join(dir, ".git"), "utf8").trim();
    if (!line.startsWith("gitdir: ")) return undefined;
    const path = line.slice("gitdir: ".length);
    return isAbsolute(path) ? path : resolve(dir, path);
  } catch {
    return undefined;
  }
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** HEAD's commit from the files alone, or undefined when that needs git (packed refs, reftable, no worktree). */
export function headFromFiles(dir: string): string | undefined {
  const gitDir = worktreeGitDir(dir);
  if (!gitDir) return undefined;
  const head = readTrimmed(join(gitDir, "HEAD"));
  if (!head) return undefined;
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  const common = readTrimmed(join(gitDir, "commondir"));
  if (!ref || !common) return undefined;
  const sha = readTrimmed(join(resolve(gitDir, common), ref));
  return sha !== undefined && SHA.test(sha) ? sha : undefined;
}

/** The worktree's HEAD commit: from the files when they say it plainly, else `git rev-parse HEAD`. */
export async function worktreeHeadCommit(dir: string, signal?: AbortSignal): Promise<string> {
  return headFromFiles(dir) ?? (await gitText(["rev-parse", "--verify", "HEAD^{commit}"], { cwd: dir, signal }));
}

/**
 * Drops the registration of the worktree that was at `dir`, after its directory was deleted, as `git worktree
 * prune` would for it alone. `gitDir` was read before the deletion; it is removed only when it is a worktree
 * registration that points back at `dir` (a session could have rewritten its `.git` file). Returns false when
 * it is not (the caller then runs `git worktree prune`).
 */
export function forgetWorktree(dir: string, gitDir: string | undefined): boolean {
  if (!gitDir || !/[/\\]worktrees[/\\][^/\\]+$/.test(gitDir)) return false;
  if (readTrimmed(join(gitDir, "gitdir")) !== join(dir, ".git")) return false;
  rmSync(gitDir, { recursive: true, force: true });
  return true;
}

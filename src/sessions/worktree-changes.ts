/**
 * Which files a session changed in its worktree, from git itself: tool events miss changes made through Bash,
 * and a session that committed leaves a clean status but a moved HEAD.
 */
import { execFile } from "node:child_process";
import type { Environment } from "../core/index.js";

function gitOut(args: string[], cwd: string, env: Environment, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env: { PATH: env.PATH, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" }, signal, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** The worktree's HEAD commit, or undefined when it is not a git worktree (or has no commit). */
export async function worktreeHead(dir: string, env: Environment): Promise<string | undefined> {
  return (await gitOut(["rev-parse", "--verify", "-q", "HEAD"], dir, env))?.trim() || undefined;
}

/**
 * The repository directories behind a worktree (its own git dir and the common one holding refs, objects, hooks
 * and config), absolute; empty when `dir` is not in a repository. The sandbox keeps them read-only.
 */
export async function repositoryDirs(dir: string, env: Environment): Promise<string[]> {
  const out = await gitOut(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"], dir, env);
  return [...new Set((out ?? "").split("\n").map((l) => l.trim()).filter(Boolean))];
}

/**
 * Paths (relative to the worktree, sorted) changed since `baseHead`: uncommitted and untracked changes plus
 * whatever was committed on top of `baseHead`. Undefined when git cannot tell (not a repository).
 */
export async function changedFiles(dir: string, baseHead: string | undefined, env: Environment): Promise<string[] | undefined> {
  const status = await gitOut(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"], dir, env);
  if (status === undefined) return undefined;
  const files = new Set<string>();
  for (const entry of status.split("\0")) if (entry.length > 3) files.add(entry.slice(3));
  if (baseHead) {
    const head = await worktreeHead(dir, env);
    if (head && head !== baseHead) {
      const diff = await gitOut(["diff", "--name-only", "-z", "--no-renames", baseHead, head], dir, env);
      for (const file of (diff ?? "").split("\0")) if (file) files.add(file);
    }
  }
  return [...files].sort();
}

/** Real repositories with an integration branch and task branches, built through git plumbing. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";

export interface Scenario {
  dir: string;
  cleanup(): void;
  /** Commits `files` (null deletes) on a new branch from `from`, without leaving the main checkout changed. */
  branch(name: string, from: string, files: Record<string, string | null>): string;
  show(rev: string, path: string): string;
  head(ref: string): string;
  worktreeStatus(): string;
}

export function scenario(files: Record<string, string>): Scenario {
  const repo = tempRepo(files);
  const dir = repo.dir;
  gitIn(dir, "branch", "integration");
  return {
    dir,
    cleanup: () => repo.cleanup(),
    branch(name, from, changes) {
      const wt = join(dir, ".wt", name);
      gitIn(dir, "worktree", "add", "-q", "-b", name, wt, from);
      const writes: Record<string, string> = {};
      for (const [p, c] of Object.entries(changes)) {
        if (c === null) gitIn(wt, "rm", "-q", p);
        else writes[p] = c;
      }
      writeFiles(wt, writes);
      gitIn(wt, "add", "-A");
      gitIn(wt, "commit", "-q", "-m", `work on ${name}`);
      gitIn(dir, "worktree", "remove", "--force", wt);
      return gitIn(dir, "rev-parse", name);
    },
    show: (rev, path) => gitIn(dir, "show", `${rev}:${path}`) + "\n",
    head: (ref) => gitIn(dir, "rev-parse", ref),
    worktreeStatus: () => gitIn(dir, "status", "--porcelain", "--untracked-files=all") + readFileSync(join(dir, ".git", "HEAD"), "utf8"),
  };
}

export const context = (taskId: string, finishedAt = { ours: 1, theirs: 2 }) => ({ runId: "r1", taskId, taskTitle: `task ${taskId}`, finishedAt });

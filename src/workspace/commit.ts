/**
 * Records everything a task's session changed as one commit on the task's branch, so that the work is safe
 * before merging or cleanup. kappa's runtime files and copied untracked files (e.g. `.env`) are never included.
 */
import { printable } from "../core/index.js";
import { git } from "./git.js";
import { readCopiedFiles } from "./copied-files.js";
import { KAPPA_DIR_PATHSPEC, KAPPA_EXCLUDE_PATHSPEC } from "./ignore.js";
import { assertRunId, assertTaskId } from "./names.js";
import { worktreeHeadCommit } from "./worktree-files.js";

export interface CommitTaskWorkOptions {
  /** The task's worktree. */
  dir: string;
  runId: string;
  taskId: string;
  title: string;
  /** The task attempt that made the work (a `Kappa-Attempt` trailer). */
  attempt?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface TaskCommit {
  /** The worktree's head after committing (the existing head when nothing changed). */
  commit: string;
  created: boolean;
  /** Files in the new commit; empty when nothing changed. */
  files: string[];
}

/** The commit message: names the task in its subject and carries trailers that tools can query. */
export function taskCommitMessage(runId: string, taskId: string, title: string, attempt?: number): string {
  const subject = printable(title, { oneLine: true }).replace(/\s+/g, " ").trim();
  const trailers = [`Kappa-Run: ${runId}`, `Kappa-Task: ${taskId}`, ...(attempt === undefined ? [] : [`Kappa-Attempt: ${attempt}`])];
  return `kappa: ${taskId} — ${subject}\n\n${trailers.join("\n")}\n`;
}

export async function commitTaskWork(options: CommitTaskWorkOptions): Promise<TaskCommit> {
  const { dir, runId, taskId, title, attempt, signal } = options;
  assertRunId(runId);
  assertTaskId(taskId);
  const copied = await readCopiedFiles(dir, signal);
  const pathspecs = [":(top)", KAPPA_EXCLUDE_PATHSPEC, ...copied.map((p) => `:(top,exclude,literal)${p}`)];
  await git(["add", "--all", "--", ...pathspecs], { cwd: dir, signal });
  const stagedFiles = async (): Promise<string[]> =>
    (await git(["diff", "--cached", "--name-only", "-z", "--no-renames"], { cwd: dir, signal })).stdout.split("\0").filter((f) => f !== "");
  let staged = await stagedFiles();
  // What is staged may include files a session staged itself under .kappa/: keep those out too.
  if (staged.some((f) => f === ".kappa" || f.startsWith(".kappa/"))) {
    await git(["reset", "--quiet", "--", KAPPA_DIR_PATHSPEC], { cwd: dir, signal, okCodes: [0, 1] });
    staged = await stagedFiles();
  }
  if (staged.length === 0) {
    return { commit: await worktreeHeadCommit(dir, signal), created: false, files: [] };
  }
  // Hooks are skipped: a failing or interactive hook must not lose the record of a session's work; the
  // verification gate checks the merged result instead. Signing is off because it may prompt.
  await git(["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "--file", "-"], {
    cwd: dir,
    signal,
    input: taskCommitMessage(runId, taskId, title, attempt),
  });
  return { commit: await worktreeHeadCommit(dir, signal), created: true, files: staged.sort() };
}

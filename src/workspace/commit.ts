/**
 * Records everything a task's session changed as one commit on the task's branch, so that the work is safe
 * before merging or cleanup. kappa's runtime files, copied untracked files (e.g. `.env`), an agent's half-written
 * temp files and secret files (`neverCommit`) are never included; the last two are reported to the caller and stay
 * in the worktree.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { printable } from "../core/index.js";
import { git } from "./git.js";
import { readCopiedFiles } from "./copied-files.js";
import { KAPPA_DIR_PATHSPEC, KAPPA_EXCLUDE_PATHSPEC } from "./ignore.js";
import { assertRunId, assertTaskId } from "./names.js";
import { DEFAULT_NEVER_COMMIT, keptOutFiles, type KeptOutFile } from "./never-commit.js";
import { worktreeHeadCommit } from "./worktree-files.js";

export interface CommitTaskWorkOptions {
  /** The task's worktree. */
  dir: string;
  runId: string;
  taskId: string;
  title: string;
  /** The task attempt that made the work (a `Kappa-Attempt` trailer). */
  attempt?: number | undefined;
  /** Globs of secret files kept out of the commit. @default DEFAULT_NEVER_COMMIT */
  neverCommit?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface TaskCommit {
  /** The worktree's head after committing (the existing head when nothing changed). */
  commit: string;
  created: boolean;
  /** Files in the new commit; empty when nothing changed. */
  files: string[];
  /** Changed files left out of the commit (temp files, secret files); they stay in the worktree. */
  keptOut: KeptOutFile[];
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
  // `--name-status -z` gives "status\0path\0" pairs; without renames every entry has exactly one path.
  const stagedEntries = async (): Promise<{ status: string; path: string }[]> => {
    const parts = (await git(["diff", "--cached", "--name-status", "-z", "--no-renames"], { cwd: dir, signal })).stdout.split("\0");
    const entries: { status: string; path: string }[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) entries.push({ status: parts[i] as string, path: parts[i + 1] as string });
    return entries;
  };
  let entries = await stagedEntries();
  // What is staged may include files a session staged itself under .kappa/: keep those out too.
  if (entries.some((e) => e.path === ".kappa" || e.path.startsWith(".kappa/"))) {
    await git(["reset", "--quiet", "--", KAPPA_DIR_PATHSPEC], { cwd: dir, signal, okCodes: [0, 1] });
    entries = await stagedEntries();
  }
  // Deleting a secret or temp file is fine; adding or changing one is not.
  const written = entries.filter((e) => e.status !== "D").map((e) => e.path);
  const keptOut = keptOutFiles(written, options.neverCommit ?? DEFAULT_NEVER_COMMIT, (path) => readText(join(dir, path)));
  if (keptOut.length > 0) {
    await git(["reset", "--quiet", "--", ...keptOut.map((f) => `:(top,literal)${f.path}`)], { cwd: dir, signal, okCodes: [0, 1] });
    entries = await stagedEntries();
  }
  const staged = entries.map((e) => e.path);
  if (staged.length === 0) {
    return { commit: await worktreeHeadCommit(dir, signal), created: false, files: [], keptOut };
  }
  // Hooks are skipped: a failing or interactive hook must not lose the record of a session's work; the
  // verification gate checks the merged result instead. Signing is off because it may prompt.
  await git(["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "--file", "-"], {
    cwd: dir,
    signal,
    input: taskCommitMessage(runId, taskId, title, attempt),
  });
  return { commit: await worktreeHeadCommit(dir, signal), created: true, files: staged.sort(), keptOut };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

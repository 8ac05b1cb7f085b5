/**
 * Keeps kappa's runtime state (`.kappa/worktrees`, database, logs, session homes) out of `git status` and out
 * of task commits, in the user's checkout and in every task worktree, without editing any tracked file: the
 * patterns go into the repository's shared `info/exclude`, which every worktree of the repository reads.
 * `.kappa/config.yaml` and `.kappa/.gitignore` stay visible so that the user can commit them.
 */
import { existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { gitText } from "./git.js";

const MARKER = "# kappa runtime state (added by kappa)";
const BLOCK = `${MARKER}\n/.kappa/*\n!/.kappa/config.yaml\n!/.kappa/.gitignore\n`;

/** Pathspecs that keep everything under `.kappa/` out of a task commit, whatever the ignore files say. */
export const KAPPA_EXCLUDE_PATHSPEC = ":(top,exclude).kappa/";
/** Pathspec for everything under `.kappa/`. */
export const KAPPA_DIR_PATHSPEC = ":(top).kappa/";

const done = new Map<string, Promise<void>>();

/** Adds kappa's block to `info/exclude` once per repository (idempotent, safe to call from parallel tasks). */
export function ensureKappaIgnored(repo: string, signal?: AbortSignal): Promise<void> {
  const key = resolve(repo);
  let pending = done.get(key);
  if (!pending) {
    pending = writeExclude(key, signal);
    done.set(key, pending);
    pending.catch(() => done.delete(key));
  }
  return pending;
}

async function writeExclude(repo: string, signal: AbortSignal | undefined): Promise<void> {
  const file = resolve(repo, await gitText(["rev-parse", "--git-path", "info/exclude"], { cwd: repo, signal }));
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (current.includes(MARKER)) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${current === "" || current.endsWith("\n") ? "" : "\n"}${BLOCK}`);
}

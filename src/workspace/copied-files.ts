/**
 * Which untracked files kappa copied into a worktree (e.g. `.env`). Kept in the worktree's private git
 * directory, invisible to the task and removed with the worktree, so that commits leave those copies out
 * (secrets must never land in a commit) and cleanup does not mistake an unchanged copy for uncommitted work.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { gitText } from "./git.js";

const FILE = "kappa-copied-files";

async function recordPath(dir: string, signal?: AbortSignal): Promise<string> {
  // A linked worktree's `.git` is a file naming its private git directory: read it rather than start git.
  const dotGit = join(dir, ".git");
  try {
    const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
    if (m?.[1] && isAbsolute(m[1].trim())) return join(m[1].trim(), FILE);
  } catch {
    // a directory (main checkout) or unreadable: ask git
  }
  return join(await gitText(["rev-parse", "--absolute-git-dir"], { cwd: dir, signal }), FILE);
}

/** Paths (relative to the worktree root) that kappa copied into the worktree at `dir`. */
export async function readCopiedFiles(dir: string, signal?: AbortSignal): Promise<string[]> {
  const file = await recordPath(dir, signal);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
}

/** Adds `paths` to the worktree's record. */
export async function recordCopiedFiles(dir: string, paths: string[], signal?: AbortSignal): Promise<void> {
  const file = await recordPath(dir, signal);
  const all = new Set(existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : []);
  for (const p of paths) all.add(p);
  writeFileSync(file, [...all].map((p) => `${p}\n`).join(""));
}

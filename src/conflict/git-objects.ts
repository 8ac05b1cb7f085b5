/**
 * Thin git adapter for merging without a checkout: blobs, trees through a temporary index, commits and a
 * compare-and-swap ref update. Nothing here touches a worktree or the repository's own index. Resolving revisions
 * is workspace's (`resolveCommit`: undefined when missing; `requireCommit`: a GitError when missing).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitError } from "../core/index.js";
import { git, gitText, resolveCommit } from "../workspace/index.js";

export interface TreeEntry {
  mode: string;
  oid: string;
}

/** A blob as text, or undefined when it is not valid UTF-8 text (binary: strategies that read text refuse). */
export async function readTextBlob(repo: string, oid: string, signal: AbortSignal): Promise<string | undefined> {
  const { stdout } = await git(["cat-file", "blob", oid], { cwd: repo, signal });
  if (stdout.includes("\u0000") || stdout.includes("\uFFFD")) return undefined;
  return stdout;
}

export async function writeBlob(repo: string, content: string, signal: AbortSignal): Promise<string> {
  return gitText(["hash-object", "-w", "--stdin"], { cwd: repo, signal, input: content });
}

/** `branch` as a full ref name. */
export function fullRef(branch: string): string {
  return branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
}

/** The entry at `path` in `commit`'s tree, or undefined when absent. */
export async function treeEntry(repo: string, commit: string, path: string, signal: AbortSignal): Promise<TreeEntry | undefined> {
  const { stdout } = await git(["ls-tree", "-z", commit, "--", path], { cwd: repo, signal });
  const line = stdout.split("\u0000").find((l) => l.endsWith(`\t${path}`));
  if (!line) return undefined;
  const [meta] = line.split("\t");
  const [mode, , oid] = (meta ?? "").split(" ");
  return mode && oid ? { mode, oid } : undefined;
}

/** A path's new content in a tree: a blob with a mode, or null to delete it. */
export interface TreeUpdate {
  path: string;
  entry: TreeEntry | null;
}

/** Writes `tree` with `updates` applied, through a throw-away index file (never the repository's index). */
export async function updateTree(repo: string, tree: string, updates: readonly TreeUpdate[], signal: AbortSignal): Promise<string> {
  if (updates.length === 0) return tree;
  const indexFile = join(tmpdir(), `kappa-index-${process.pid}-${randomBytes(6).toString("hex")}`);
  const env = { GIT_INDEX_FILE: indexFile };
  try {
    await git(["read-tree", tree], { cwd: repo, signal, env });
    const info = updates
      .map((u) => (u.entry ? `${u.entry.mode} ${u.entry.oid}\t${u.path}` : `0 ${"0".repeat(40)}\t${u.path}`))
      .join("\u0000");
    await git(["update-index", "-z", "--index-info"], { cwd: repo, signal, env, input: `${info}\u0000` });
    return await gitText(["write-tree"], { cwd: repo, signal, env });
  } finally {
    rmSync(indexFile, { force: true });
    rmSync(`${indexFile}.lock`, { force: true });
  }
}

export async function commitTree(repo: string, tree: string, parents: readonly string[], message: string, signal: AbortSignal): Promise<string> {
  const args = ["commit-tree", tree];
  for (const p of parents) args.push("-p", p);
  args.push("-F", "-");
  return gitText(args, { cwd: repo, signal, input: message });
}

/**
 * Moves `ref` from `expected` to `next` only if it still points at `expected`. Returns false when another
 * process moved it first (the caller redoes its merge on the new head).
 */
export async function compareAndSwapRef(repo: string, ref: string, next: string, expected: string, message: string, signal: AbortSignal): Promise<boolean> {
  const r = await git(["update-ref", "-m", message, ref, next, expected], { cwd: repo, signal, okCodes: [0, 128, 1] });
  if (r.code === 0) return true;
  const now = await resolveCommit(repo, ref, signal);
  if (now !== expected) return false;
  throw new GitError(`git update-ref ${ref} failed: ${r.stderr.trim()}`, r.stderr, { hint: "check that the repository is writable and no stale .lock file is left under .git/refs" });
}

/** Files that differ between two trees or commits. */
export async function changedFiles(repo: string, from: string, to: string, signal: AbortSignal): Promise<string[]> {
  const { stdout } = await git(["diff-tree", "-r", "-z", "--name-only", "--no-renames", from, to], { cwd: repo, signal });
  return stdout.split("\u0000").filter((p) => p !== "");
}

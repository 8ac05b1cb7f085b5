/**
 * Removes leftovers found by {@link findLeftovers}, conservatively: every decision is checked again just before
 * acting (the state may have changed), a worktree goes only when it holds no uncommitted changes, a branch only
 * when its commits are contained elsewhere (with a compare-and-swap on its head), and anything kept is listed
 * with the reason and what the user can do.
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { projectPaths } from "../core/index.js";
import { git } from "./git.js";
import { readCopiedFiles } from "./copied-files.js";
import { sameContent, worktreeChanges, type Leftover } from "./leftovers.js";
import { integrationBranch } from "./names.js";
import { isAncestor, listWorktrees, resolveCommit } from "./refs.js";

export interface CleanOptions {
  /** Report what would be removed without removing anything. */
  dryRun: boolean;
  /** Also delete integration branches that the user's current branch already contains. @default false */
  branches?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface KeptItem {
  kind: Leftover["kind"];
  runId: string;
  /** Worktree or directory path, or branch name. */
  path: string;
  reason: string;
  hint?: string | undefined;
}

export interface CleanResult {
  /** Worktree paths, directories and branch names removed (or that would be, in a dry run). */
  removed: string[];
  kept: KeptItem[];
}

const ORDER: Record<Leftover["kind"], number> = { worktree: 0, directory: 1, "task-branch": 2, "integration-branch": 3 };

export async function cleanLeftovers(leftovers: Leftover[], options: CleanOptions): Promise<CleanResult> {
  const { dryRun, signal } = options;
  const removed: string[] = [];
  const kept: KeptItem[] = [];
  const keep = (item: Leftover, reason = item.reason, hint = item.hint): void => {
    kept.push({ kind: item.kind, runId: item.runId, path: item.path, reason, hint });
  };
  const removedWorktreeBranches = new Set<string>();
  const keptBranchesByRun = new Map<string, number>();
  const repos = new Set<string>();

  for (const item of [...leftovers].sort((a, b) => ORDER[a.kind] - ORDER[b.kind])) {
    repos.add(item.repo);
    if (item.kind === "worktree") {
      if (!item.safeToRemove) {
        keep(item);
        continue;
      }
      const failure = dryRun ? undefined : await removeWorktree(item, signal);
      if (failure) keep(item, failure.reason, failure.hint);
      else {
        removed.push(item.path);
        if (item.branch) removedWorktreeBranches.add(item.branch);
      }
    } else if (item.kind === "directory") {
      if (!item.safeToRemove) keep(item);
      else {
        if (!dryRun && existsSync(item.path) && readdirSync(item.path).length === 0) rmdirSync(item.path);
        removed.push(item.path);
      }
    } else if (item.kind === "task-branch") {
      const failure = item.safeToRemove ? await deleteTaskBranch(item, removedWorktreeBranches, dryRun, signal) : { reason: item.reason, hint: item.hint };
      if (failure) {
        keep(item, failure.reason, failure.hint);
        keptBranchesByRun.set(item.runId, (keptBranchesByRun.get(item.runId) ?? 0) + 1);
      } else removed.push(item.path);
    } else {
      const failure = options.branches ? await deleteIntegrationBranch(item, keptBranchesByRun, dryRun, signal) : { reason: item.reason, hint: item.hint };
      if (failure) keep(item, failure.reason, failure.hint);
      else removed.push(item.path);
    }
  }

  if (!dryRun) {
    for (const repo of repos) {
      await git(["worktree", "prune"], { cwd: repo, signal });
      removeEmptyRunDirs(projectPaths(repo).worktreesDir);
    }
  }
  return { removed, kept };
}

interface Failure {
  reason: string;
  hint?: string | undefined;
}

async function removeWorktree(item: Leftover, signal: AbortSignal | undefined): Promise<Failure | undefined> {
  if (!existsSync(item.path)) return undefined; // only git's record remains: `worktree prune` drops it
  // Checked again now: a file written since the scan is uncommitted work.
  const changes = await worktreeChanges(item.repo, item.path, signal);
  if (changes.length > 0) {
    return { reason: `has uncommitted changes (${changes.slice(0, 3).join(", ")}${changes.length > 3 ? ", …" : ""})`, hint: `commit or copy them (cd ${item.path}), then run kappa clean again` };
  }
  // Unchanged copies of the user's files (e.g. .env) are the only untracked files allowed: drop them first so
  // that git's own safety check (no --force) still guards everything else.
  for (const copy of await readCopiedFiles(item.path, signal)) {
    const target = join(item.path, copy);
    if (existsSync(target) && sameContent(join(item.repo, copy), target)) rmSync(target);
  }
  const result = await git(["worktree", "remove", item.path], { cwd: item.repo, signal, okCodes: [0, 1, 128] });
  if (result.code !== 0) {
    return { reason: `git refused to remove it: ${result.stderr.trim().split("\n").pop() ?? ""}`, hint: `look at \`git -C ${item.path} status\`, then run kappa clean again` };
  }
  return undefined;
}

async function deleteTaskBranch(item: Leftover, removedWorktreeBranches: Set<string>, dryRun: boolean, signal: AbortSignal | undefined): Promise<Failure | undefined> {
  const branch = item.path;
  const checkedOut = (await listWorktrees(item.repo, signal)).find((w) => w.branch === branch && !w.prunable && existsSync(w.path));
  if (checkedOut && !(dryRun && removedWorktreeBranches.has(branch))) {
    return { reason: `it is checked out in ${checkedOut.path}, which is kept`, hint: "clean or remove that worktree first, then run kappa clean again" };
  }
  const head = await resolveCommit(item.repo, `refs/heads/${branch}`, signal);
  if (head === undefined) return undefined; // already gone
  if (head !== item.head) return { reason: "it moved since it was checked", hint: "run kappa clean again" };
  const integration = await resolveCommit(item.repo, `refs/heads/${integrationBranch(item.runId)}`, signal);
  const userHead = await resolveCommit(item.repo, "HEAD", signal);
  const contained =
    (integration !== undefined && (await isAncestor(item.repo, head, integration, signal))) ||
    (userHead !== undefined && (await isAncestor(item.repo, head, userHead, signal)));
  if (!contained) return { reason: `has commits not in ${integrationBranch(item.runId)}`, hint: item.hint };
  if (dryRun) return undefined;
  return casDelete(item.repo, branch, head, signal);
}

async function deleteIntegrationBranch(item: Leftover, keptBranchesByRun: Map<string, number>, dryRun: boolean, signal: AbortSignal | undefined): Promise<Failure | undefined> {
  const branch = item.path;
  if ((keptBranchesByRun.get(item.runId) ?? 0) > 0) {
    return { reason: "the run's result; kept because some of its task branches are kept and are compared against it", hint: "deal with the kept task branches first, then run kappa clean --branches again" };
  }
  const checkedOut = (await listWorktrees(item.repo, signal)).find((w) => w.branch === branch && !w.prunable);
  if (checkedOut) return { reason: `the run's result; it is checked out in ${checkedOut.path}`, hint: "switch that checkout to another branch first" };
  const head = await resolveCommit(item.repo, `refs/heads/${branch}`, signal);
  if (head === undefined) return undefined;
  const userHead = await resolveCommit(item.repo, "HEAD", signal);
  if (head !== item.head || userHead === undefined || !(await isAncestor(item.repo, head, userHead, signal))) {
    return { reason: "the run's result, not merged into your current branch", hint: `merge it with \`git merge ${branch}\`, or delete it with \`git branch -D ${branch}\` if you do not want it` };
  }
  if (dryRun) return undefined;
  return casDelete(item.repo, branch, head, signal);
}

async function casDelete(repo: string, branch: string, expected: string, signal: AbortSignal | undefined): Promise<Failure | undefined> {
  const result = await git(["update-ref", "-m", "kappa clean", "-d", `refs/heads/${branch}`, expected], { cwd: repo, signal, okCodes: [0, 1, 128] });
  if (result.code === 0) return undefined;
  return { reason: `could not delete it: ${result.stderr.trim()}`, hint: "run kappa clean again" };
}

function removeEmptyRunDirs(worktreesDir: string): void {
  if (!existsSync(worktreesDir)) return;
  for (const runId of readdirSync(worktreesDir)) {
    const runDir = join(worktreesDir, runId);
    try {
      if (readdirSync(runDir).length === 0) rmdirSync(runDir);
    } catch {
      // Not a directory, or not empty after all: leave it.
    }
  }
  try {
    if (readdirSync(worktreesDir).length === 0) rmdirSync(worktreesDir);
  } catch {
    // Leave it.
  }
}

/**
 * Finds what runs that are no longer active left behind: task worktrees, task branches, integration branches
 * and stray directories under `.kappa/worktrees/`. For each it answers the questions cleanup must ask before
 * removing anything: does it hold uncommitted changes, are its commits safe elsewhere, and is it safe to remove.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { projectPaths } from "../core/index.js";
import { gitText } from "./git.js";
import { readCopiedFiles } from "./copied-files.js";
import { integrationBranch, parseKappaBranch, RUN_ID_PATTERN } from "./names.js";
import { branchesContaining, changedPaths, countCommitsNotIn, isAncestor, listWorktrees, resolveCommit, type WorktreeEntry } from "./refs.js";
import { canonicalRepo } from "./worktree.js";

export type LeftoverKind = "worktree" | "directory" | "task-branch" | "integration-branch";

export interface Leftover {
  kind: LeftoverKind;
  repo: string;
  runId: string;
  taskId?: string | undefined;
  /** Absolute path for worktrees and directories; the branch name for branches. */
  path: string;
  /** The branch (of a worktree: the branch it is on). */
  branch?: string | undefined;
  head?: string | undefined;
  /** Uncommitted changes: modified, staged or untracked files (copies kappa made and nobody changed excluded). */
  dirty: boolean;
  changedFiles: string[];
  /** Commits not contained in the run's integration branch; undefined when that branch does not exist. */
  unmergedCommits: number | undefined;
  /** For integration branches: whether the user's current branch already contains it. */
  mergedIntoHead?: boolean | undefined;
  /** For worktrees: its directory is gone, only git's record remains. */
  missing?: boolean | undefined;
  safeToRemove: boolean;
  /** Why it is safe to remove, or why it is kept. */
  reason: string;
  /** What the user can do about a kept item. */
  hint?: string | undefined;
}

export interface FindLeftoversOptions {
  repo: string;
  /** Runs still driven by a live kappa process: nothing of theirs is reported. */
  activeRunIds: Set<string>;
  /** Only this run's leftovers. */
  runId?: string | undefined;
  signal?: AbortSignal | undefined;
}

interface Scan {
  repo: string;
  worktrees: WorktreeEntry[];
  branches: Map<string, string>;
  userHead: string | undefined;
  signal: AbortSignal | undefined;
}

export async function findLeftovers(options: FindLeftoversOptions): Promise<Leftover[]> {
  const { signal } = options;
  const repo = canonicalRepo(options.repo);
  const wanted = (runId: string): boolean => !options.activeRunIds.has(runId) && (options.runId === undefined || options.runId === runId);
  const branchList = await gitText(["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/kappa/"], { cwd: repo, signal });
  const branches = new Map<string, string>();
  for (const line of branchList.split("\n")) {
    const [name, sha] = line.split(" ");
    if (name && sha) branches.set(name, sha);
  }
  const scan: Scan = { repo, worktrees: await listWorktrees(repo, signal), branches, userHead: await resolveCommit(repo, "HEAD", signal), signal };
  const worktreesDir = projectPaths(repo).worktreesDir;
  const leftovers: Leftover[] = [];

  const ours = new Set<string>();
  for (const entry of scan.worktrees) {
    const rel = relative(worktreesDir, entry.path).split("/");
    if (rel.length !== 2 || rel[0] === ".." || rel[0] === "") continue;
    const [runId = "", taskId = ""] = rel;
    ours.add(entry.path);
    if (!wanted(runId)) continue;
    leftovers.push(await assessWorktree(scan, entry, runId, taskId));
  }

  for (const { runId, taskId, dir } of scanDirectories(worktreesDir)) {
    if (ours.has(dir) || !wanted(runId)) continue;
    leftovers.push(assessDirectory(repo, dir, runId, taskId));
  }

  for (const [branch, head] of branches) {
    const parsed = parseKappaBranch(branch);
    if (!parsed || !wanted(parsed.runId)) continue;
    if (parsed.kind === "task") leftovers.push(await assessTaskBranch(scan, branch, head, parsed.runId, parsed.taskId));
    else leftovers.push(await assessIntegrationBranch(scan, branch, head, parsed.runId));
  }
  return leftovers;
}

function* scanDirectories(worktreesDir: string): Generator<{ runId: string; taskId: string; dir: string }> {
  if (!existsSync(worktreesDir)) return;
  for (const runId of readdirSync(worktreesDir)) {
    const runDir = join(worktreesDir, runId);
    if (!RUN_ID_PATTERN.test(runId) || !statSync(runDir).isDirectory()) continue;
    for (const taskId of readdirSync(runDir)) yield { runId, taskId, dir: join(runDir, taskId) };
  }
}

async function unmergedInto(scan: Scan, runId: string, head: string | undefined): Promise<number | undefined> {
  const integration = scan.branches.get(integrationBranch(runId));
  if (integration === undefined || head === undefined) return undefined;
  return countCommitsNotIn(scan.repo, head, integration, scan.signal);
}

/** Uncommitted changes of a worktree, not counting unchanged copies of the user's files. */
export async function worktreeChanges(repo: string, dir: string, signal?: AbortSignal): Promise<string[]> {
  const changed = await changedPaths(dir, signal);
  if (changed.length === 0) return changed;
  const copies = new Set(await readCopiedFiles(dir, signal));
  return changed.filter((path) => !(copies.has(path) && sameContent(join(repo, path), join(dir, path))));
}

/** Whether two files exist with identical bytes. */
export function sameContent(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

async function assessWorktree(scan: Scan, entry: WorktreeEntry, runId: string, taskId: string): Promise<Leftover> {
  const base: Leftover = {
    kind: "worktree", repo: scan.repo, runId, taskId, path: entry.path, branch: entry.branch, head: entry.head,
    dirty: false, changedFiles: [], unmergedCommits: await unmergedInto(scan, runId, entry.head), safeToRemove: false, reason: "",
  };
  if (entry.prunable || !existsSync(entry.path)) {
    return { ...base, missing: true, safeToRemove: true, reason: "its directory is gone; only git's record of it remains" };
  }
  if (entry.locked) {
    return { ...base, reason: "it is locked (git worktree lock)", hint: `unlock it with \`git worktree unlock ${entry.path}\` if you no longer need it, then run kappa clean again` };
  }
  const changedFiles = await worktreeChanges(scan.repo, entry.path, scan.signal);
  if (changedFiles.length > 0) {
    return {
      ...base, dirty: true, changedFiles,
      reason: `has uncommitted changes (${changedFiles.length} file${changedFiles.length === 1 ? "" : "s"}: ${changedFiles.slice(0, 3).join(", ")}${changedFiles.length > 3 ? ", …" : ""})`,
      hint: `commit or copy them (cd ${entry.path}), then run kappa clean again`,
    };
  }
  if (entry.branch === undefined && entry.head !== undefined && (await branchesContaining(scan.repo, entry.head, scan.signal)).length === 0) {
    return {
      ...base,
      reason: "its detached HEAD has commits that are on no branch",
      hint: `keep them with \`git -C ${entry.path} branch kappa-rescue-${taskId}\`, then run kappa clean again`,
    };
  }
  return { ...base, safeToRemove: true, reason: entry.branch ? `no uncommitted changes; its commits stay on ${entry.branch}` : "no uncommitted changes; its commits are on a branch" };
}

function assessDirectory(repo: string, dir: string, runId: string, taskId: string): Leftover {
  const base: Leftover = { kind: "directory", repo, runId, taskId, path: dir, dirty: false, changedFiles: [], unmergedCommits: undefined, safeToRemove: false, reason: "" };
  const isDir = statSync(dir).isDirectory();
  if (isDir && readdirSync(dir).length === 0) return { ...base, safeToRemove: true, reason: "an empty directory" };
  return {
    ...base,
    reason: "it is not a git worktree of this repository, so kappa cannot tell whether it holds work",
    hint: `look inside; delete it yourself (rm -r ${dir}) when it holds nothing you need`,
  };
}

async function assessTaskBranch(scan: Scan, branch: string, head: string, runId: string, taskId: string): Promise<Leftover> {
  const unmergedCommits = await unmergedInto(scan, runId, head);
  const base: Leftover = { kind: "task-branch", repo: scan.repo, runId, taskId, path: branch, branch, head, dirty: false, changedFiles: [], unmergedCommits, safeToRemove: false, reason: "" };
  const checkedOut = scan.worktrees.find((w) => w.branch === branch);
  const worktreesDir = projectPaths(scan.repo).worktreesDir;
  if (checkedOut && !checkedOut.prunable && !checkedOut.path.startsWith(`${worktreesDir}/`)) {
    return { ...base, reason: `it is checked out in ${checkedOut.path}`, hint: `switch that checkout to another branch, then run kappa clean again` };
  }
  const integration = integrationBranch(runId);
  if (unmergedCommits === 0) return { ...base, safeToRemove: true, reason: `its commits are all in ${integration}` };
  if (scan.userHead !== undefined && (await isAncestor(scan.repo, head, scan.userHead, scan.signal))) {
    return { ...base, safeToRemove: true, reason: "its commits are all in your current branch" };
  }
  if (unmergedCommits === undefined) {
    return {
      ...base,
      reason: `the run's integration branch ${integration} no longer exists, so kappa cannot tell whether its commits were merged`,
      hint: `inspect it with \`git log ${branch}\`; delete it with \`git branch -D ${branch}\` if you do not need it`,
    };
  }
  return {
    ...base,
    reason: `has ${unmergedCommits} commit${unmergedCommits === 1 ? "" : "s"} not in ${integration}`,
    hint: `inspect with \`git log ${integration}..${branch}\`; merge it, or delete it with \`git branch -D ${branch}\` if you do not need it`,
  };
}

async function assessIntegrationBranch(scan: Scan, branch: string, head: string, runId: string): Promise<Leftover> {
  const mergedIntoHead = scan.userHead !== undefined && (await isAncestor(scan.repo, head, scan.userHead, scan.signal));
  const checkedOut = scan.worktrees.find((w) => w.branch === branch && !w.prunable);
  return {
    kind: "integration-branch", repo: scan.repo, runId, path: branch, branch, head, dirty: false, changedFiles: [], unmergedCommits: 0,
    mergedIntoHead, safeToRemove: false,
    reason: checkedOut ? `the run's result; it is checked out in ${checkedOut.path}` : mergedIntoHead ? "the run's result; your current branch already contains it" : "the run's result, not merged into your current branch",
    hint: mergedIntoHead ? "delete it with `kappa clean --branches` (or git branch -d)" : `merge it with \`git merge ${branch}\`, or delete it with \`git branch -D ${branch}\` if you do not want it`,
  };
}

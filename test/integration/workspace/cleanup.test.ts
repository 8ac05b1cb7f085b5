import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";
import {
  cleanLeftovers,
  commitTaskWork,
  createIntegrationBranch,
  findLeftovers,
  prepareTaskWorktree,
  taskWorktreePath,
} from "../../../src/workspace/index.js";
import { userState } from "./user-state.js";

const signal = new AbortController().signal;

describe("finding and cleaning leftovers", () => {
  let repo: { dir: string; cleanup(): void };
  beforeEach(() => {
    repo = tempRepo({ "README.md": "# app\n" });
    writeFiles(repo.dir, { "mine.txt": "user's untracked file\n" });
  });
  afterEach(() => repo.cleanup());

  /** A task that committed `file`; `merged` moves the integration branch onto its commit. */
  async function task(runId: string, taskId: string, options: { merged?: boolean; commit?: boolean } = {}): Promise<{ dir: string; commit: string }> {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId, signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId, taskId, from: branch, signal });
    if (options.commit === false) return { dir: wt.dir, commit: gitIn(wt.dir, "rev-parse", "HEAD") };
    writeFiles(wt.dir, { [`${taskId}.txt`]: `${taskId}\n` });
    const { commit } = await commitTaskWork({ dir: wt.dir, runId, taskId, title: taskId, signal });
    if (options.merged) gitIn(repo.dir, "update-ref", `refs/heads/${branch}`, commit);
    return { dir: wt.dir, commit };
  }

  it("finds the worktrees and branches a crashed run left behind, and leaves an active run alone", async () => {
    await task("crashed", "api");
    await task("live", "ui");
    const leftovers = await findLeftovers({ repo: repo.dir, activeRunIds: new Set(["live"]), signal });
    expect(leftovers.map((l) => `${l.kind} ${l.runId} ${l.taskId ?? ""}`).sort()).toEqual([
      "integration-branch crashed ",
      "task-branch crashed api",
      "worktree crashed api",
    ]);
    const worktree = leftovers.find((l) => l.kind === "worktree");
    expect(worktree).toMatchObject({ path: taskWorktreePath(repo.dir, "crashed", "api"), branch: "kappa/crashed/api", dirty: false, unmergedCommits: 1, safeToRemove: true });
  });

  it("keeps a dirty worktree and says why and what to do", async () => {
    const { dir } = await task("r1", "api", { merged: true });
    writeFiles(dir, { "unsaved.ts": "work in progress\n" });
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, signal });
    expect(existsSync(join(dir, "unsaved.ts"))).toBe(true);
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "worktree", path: dir, reason: expect.stringContaining("uncommitted changes (1 file: unsaved.ts)"), hint: expect.stringContaining("commit or copy them") }));
    // Its branch is checked out in the kept worktree, so it stays as well.
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "task-branch", path: "kappa/r1/api" }));
    expect(gitIn(repo.dir, "branch", "--list", "kappa/r1/api")).not.toBe("");
  });

  it("removes a clean worktree of an inactive run but keeps its branch while its commits are not merged", async () => {
    const before = userState(repo.dir);
    const { dir, commit } = await task("r1", "api");
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, signal });
    expect(existsSync(dir)).toBe(false);
    expect(result.removed).toEqual([dir]);
    expect(gitIn(repo.dir, "rev-parse", "kappa/r1/api")).toBe(commit);
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "task-branch", path: "kappa/r1/api", reason: "has 1 commit not in kappa/r1/main" }));
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "integration-branch", path: "kappa/r1/main" }));
    expect(gitIn(repo.dir, "worktree", "list").split("\n")).toHaveLength(1);
    expect(existsSync(join(repo.dir, ".kappa/worktrees/r1"))).toBe(false);
    expect(userState(repo.dir)).toEqual(before);
  });

  it("deletes a task branch whose commits are merged into its integration branch, and keeps the integration branch", async () => {
    const { dir } = await task("r1", "api", { merged: true });
    await task("r1", "empty", { commit: false });
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, signal });
    expect(result.removed.sort()).toEqual([dir, taskWorktreePath(repo.dir, "r1", "empty"), "kappa/r1/api", "kappa/r1/empty"].sort());
    expect(gitIn(repo.dir, "branch", "--list", "kappa/*")).toBe("kappa/r1/main");
    expect(result.kept).toEqual([expect.objectContaining({ kind: "integration-branch", reason: "the run's result, not merged into your current branch" })]);
  });

  it("deletes an integration branch only with --branches and only once the user's branch contains it", async () => {
    const { commit } = await task("r1", "api", { merged: true });
    const withBranches = async () => cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, branches: true, signal });
    expect((await withBranches()).kept).toEqual([expect.objectContaining({ path: "kappa/r1/main" })]);
    gitIn(repo.dir, "merge", "--ff-only", "-q", commit);
    const second = await withBranches();
    expect(second).toEqual({ removed: ["kappa/r1/main"], kept: [] });
  });

  it("removes nothing in a dry run but reports what it would remove", async () => {
    const { dir } = await task("r1", "api", { merged: true });
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: true, signal });
    expect(result.removed.sort()).toEqual([dir, "kappa/r1/api"].sort());
    expect(existsSync(dir)).toBe(true);
    expect(gitIn(repo.dir, "branch", "--list", "kappa/r1/api")).not.toBe("");
  });

  it("keeps a worktree whose detached HEAD holds commits that are on no branch", async () => {
    const { dir } = await task("r1", "api", { merged: true });
    gitIn(dir, "switch", "-q", "--detach");
    writeFiles(dir, { "orphan.txt": "x\n" });
    gitIn(dir, "add", "-A");
    gitIn(dir, "commit", "-q", "-m", "orphan");
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, signal });
    expect(existsSync(dir)).toBe(true);
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "worktree", reason: "its detached HEAD has commits that are on no branch" }));
  });

  it("rechecks a worktree just before removing it, so work written after the scan is kept", async () => {
    const { dir } = await task("r1", "api", { merged: true });
    const leftovers = await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal });
    writeFiles(dir, { "late.txt": "written after the scan\n" });
    const result = await cleanLeftovers(leftovers, { dryRun: false, signal });
    expect(existsSync(join(dir, "late.txt"))).toBe(true);
    expect(result.kept).toContainEqual(expect.objectContaining({ kind: "worktree", reason: expect.stringContaining("late.txt") }));
  });

  it("keeps a directory under .kappa/worktrees that is not a git worktree, and drops an empty one", async () => {
    const stray = join(repo.dir, ".kappa/worktrees/old/stray");
    mkdirSync(stray, { recursive: true });
    writeFileSync(join(stray, "file.txt"), "?\n");
    const empty = join(repo.dir, ".kappa/worktrees/old/empty");
    mkdirSync(empty, { recursive: true });
    const result = await cleanLeftovers(await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal }), { dryRun: false, signal });
    expect(result.removed).toEqual([empty]);
    expect(result.kept).toEqual([expect.objectContaining({ kind: "directory", path: stray, hint: expect.stringContaining("rm -r") })]);
    expect(existsSync(join(stray, "file.txt"))).toBe(true);
  });

  it("only looks at the run it is asked about", async () => {
    await task("r1", "api");
    await task("r2", "api");
    const leftovers = await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), runId: "r2", signal });
    expect(new Set(leftovers.map((l) => l.runId))).toEqual(new Set(["r2"]));
  });
});

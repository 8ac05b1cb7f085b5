import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo } from "../../helpers/git.js";
import { forgetWorktree, prepareTaskWorktree, worktreeGitDir, worktreeHeadCommit } from "../../../src/workspace/index.js";
import { headFromFiles } from "../../../src/workspace/worktree-files.js";

const listed = (repo: string): string[] =>
  gitIn(repo, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length));

describe("a task worktree read from git's files", () => {
  let repo: { dir: string; cleanup(): void };
  let dir: string;
  beforeEach(async () => {
    repo = tempRepo();
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "t1", from: gitIn(repo.dir, "rev-parse", "HEAD") });
    dir = wt.dir;
    writeFileSync(join(dir, "x.txt"), "x\n");
    gitIn(dir, "add", "x.txt");
    gitIn(dir, "commit", "-q", "-m", "x");
  });
  afterEach(() => repo.cleanup());

  it("gives the same head commit as git, also when refs are packed or HEAD is detached", async () => {
    const head = gitIn(dir, "rev-parse", "HEAD");
    expect(headFromFiles(dir)).toBe(head);
    gitIn(repo.dir, "pack-refs", "--all");
    expect(headFromFiles(dir)).toBeUndefined();
    expect(await worktreeHeadCommit(dir)).toBe(head);
    gitIn(dir, "checkout", "-q", "--detach", "HEAD~1");
    expect(headFromFiles(dir)).toBe(gitIn(dir, "rev-parse", "HEAD"));
  });

  it("drops git's record of a deleted worktree, and nothing else", () => {
    const gitDir = worktreeGitDir(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(listed(repo.dir)).toContain(dir);
    expect(forgetWorktree(dir, gitDir)).toBe(true);
    expect(listed(repo.dir)).not.toContain(dir);
    expect(gitIn(repo.dir, "branch", "--list", "kappa/r1/t1")).toContain("kappa/r1/t1");
  });

  it("refuses to delete a directory that a rewritten .git file points at", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "kappa-test-worktrees-"));
    const victim = join(elsewhere, "worktrees", "precious");
    gitIn(repo.dir, "init", "-q", victim);
    writeFileSync(join(dir, ".git"), `gitdir: ${victim}\n`);
    const gitDir = worktreeGitDir(dir);
    expect(gitDir).toBe(victim);
    rmSync(dir, { recursive: true, force: true });
    expect(forgetWorktree(dir, gitDir)).toBe(false);
    expect(existsSync(victim)).toBe(true);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});

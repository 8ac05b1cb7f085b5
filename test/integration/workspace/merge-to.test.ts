import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";
import { commitTaskWork, createIntegrationBranch, mergeToUserBranch, prepareTaskWorktree } from "../../../src/workspace/index.js";

const signal = new AbortController().signal;

describe("--merge-to", () => {
  let repo: { dir: string; cleanup(): void };
  let result: string;
  beforeEach(async () => {
    repo = tempRepo({ "README.md": "# app\n" });
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "api", from: branch, signal });
    writeFiles(wt.dir, { "api.ts": "x\n" });
    result = (await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "api", title: "API", signal })).commit;
    gitIn(repo.dir, "update-ref", `refs/heads/${branch}`, result);
  });
  afterEach(() => repo.cleanup());

  it("fast-forwards the user's checked-out branch and its working tree when the checkout is clean", async () => {
    writeFiles(repo.dir, { "untracked.txt": "kept\n" });
    expect(await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "main", signal })).toEqual({ status: "updated", commit: result });
    expect(gitIn(repo.dir, "rev-parse", "HEAD")).toBe(result);
    expect(gitIn(repo.dir, "status", "--porcelain")).toBe("?? untracked.txt");
    expect(await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "main", signal })).toMatchObject({ status: "up-to-date" });
  });

  it("refuses to touch a checked-out branch with uncommitted changes and says what to run", async () => {
    const head = gitIn(repo.dir, "rev-parse", "HEAD");
    writeFiles(repo.dir, { "README.md": "# edited by the user\n" });
    const outcome = await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "main", signal });
    expect(outcome).toMatchObject({ status: "refused", reason: expect.stringContaining("uncommitted changes (README.md)"), hint: expect.stringContaining("git merge --ff-only kappa/r1/main") });
    expect(gitIn(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(gitIn(repo.dir, "diff", "--name-only")).toBe("README.md");
  });

  it("moves a branch that is not checked out, leaving the user's checkout alone", async () => {
    const head = gitIn(repo.dir, "rev-parse", "HEAD");
    gitIn(repo.dir, "branch", "release");
    writeFiles(repo.dir, { "README.md": "# dirty checkout\n" });
    expect(await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "release", signal })).toMatchObject({ status: "updated" });
    expect(gitIn(repo.dir, "rev-parse", "release")).toBe(result);
    expect(gitIn(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(gitIn(repo.dir, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
  });

  it("refuses when the result is not a fast-forward of the target, and explains how to merge instead", async () => {
    writeFiles(repo.dir, { "user.txt": "user's own commit\n" });
    gitIn(repo.dir, "add", "user.txt");
    gitIn(repo.dir, "commit", "-q", "-m", "user work");
    const head = gitIn(repo.dir, "rev-parse", "HEAD");
    const outcome = await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "main", signal });
    expect(outcome).toMatchObject({ status: "refused", reason: expect.stringContaining("cannot be fast-forwarded"), hint: "merge it yourself: git switch main && git merge kappa/r1/main" });
    expect(gitIn(repo.dir, "rev-parse", "HEAD")).toBe(head);
  });

  it("refuses a target branch that does not exist instead of creating it from a typo", async () => {
    expect(await mergeToUserBranch({ repo: repo.dir, integrationBranch: "kappa/r1/main", target: "mian", signal })).toMatchObject({ status: "refused", reason: "there is no branch named mian" });
    expect(gitIn(repo.dir, "branch", "--list", "mian")).toBe("");
  });
});

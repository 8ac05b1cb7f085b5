import { describe, expect, it } from "vitest";
import { integrationBranch, parseKappaBranch, taskBranch, taskWorktreePath } from "../../../src/workspace/index.js";
import { taskCommitMessage } from "../../../src/workspace/commit.js";

describe("names of kappa's branches and worktrees", () => {
  it("puts a run's branches under kappa/<run>/ and its worktrees under .kappa/worktrees/<run>/", () => {
    expect(integrationBranch("r-1")).toBe("kappa/r-1/main");
    expect(taskBranch("r-1", "api-auth")).toBe("kappa/r-1/api-auth");
    expect(taskWorktreePath("/home/me/app", "r-1", "api-auth")).toBe("/home/me/app/.kappa/worktrees/r-1/api-auth");
  });

  it("refuses a task id that would be the integration branch or escape the worktree directory", () => {
    expect(() => taskBranch("r-1", "main")).toThrow(/reserved/);
    expect(() => taskWorktreePath("/repo", "r-1", "../x")).toThrow(/invalid task id/);
    expect(() => integrationBranch("../../etc")).toThrow(/invalid run id/);
  });

  it("recognises only its own branch shapes, so cleanup never touches other branches", () => {
    expect(parseKappaBranch("kappa/r-1/main")).toEqual({ kind: "integration", runId: "r-1", branch: "kappa/r-1/main" });
    expect(parseKappaBranch("kappa/r-1/api")).toEqual({ kind: "task", runId: "r-1", taskId: "api", branch: "kappa/r-1/api" });
    for (const other of ["main", "kappa/feature", "kappa/r-1/api/extra", "feature/kappa/r/x", "kappa/r-1/Has_Caps"]) {
      expect(parseKappaBranch(other)).toBeUndefined();
    }
  });

  it("writes a commit message naming the task on one line, with run and task trailers", () => {
    expect(taskCommitMessage("r-1", "api", "  Build\n the   API ")).toBe("kappa: api — Build the API\n\nKappa-Run: r-1\nKappa-Task: api\n");
  });

  it("strips ANSI escapes, BEL and other control characters of a title from the commit message", () => {
    expect(taskCommitMessage("r-1", "api", "\u001b[31mRed\u001b[0m API\u0007\b\r\u001b]0;owned\u0007 done")).toBe("kappa: api — Red API done\n\nKappa-Run: r-1\nKappa-Task: api\n");
  });
});

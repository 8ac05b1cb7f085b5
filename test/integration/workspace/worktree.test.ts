import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";
import {
  commitTaskWork,
  createIntegrationBranch,
  integrationBranch,
  prepareTaskWorktree,
  taskWorktreePath,
} from "../../../src/workspace/index.js";
import { userState } from "./user-state.js";

const signal = new AbortController().signal;

describe("task worktrees", () => {
  let repo: { dir: string; cleanup(): void };
  beforeEach(() => {
    repo = tempRepo({ "README.md": "# app\n", "src/a.ts": "export const a = 1;\n" });
    // The user has work in progress: a staged change, an unstaged change, untracked files (kappa's config too,
    // which must stay visible so that they can commit it).
    writeFiles(repo.dir, { "src/a.ts": "export const a = 2;\n", "notes.txt": "mine\n", ".kappa/config.yaml": "maxParallelSessions: 2\n" });
    gitIn(repo.dir, "add", "src/a.ts");
    writeFiles(repo.dir, { "README.md": "# app (editing)\n" });
  });
  afterEach(() => repo.cleanup());

  it("creates the integration branch at the user's commit without touching their checkout, and keeps it on resume", async () => {
    const before = userState(repo.dir);
    const first = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    expect(first).toMatchObject({ branch: "kappa/r1/main", baseCommit: before.head, created: true });
    expect(gitIn(repo.dir, "rev-parse", "kappa/r1/main")).toBe(before.head);

    // Work merged into the integration branch must survive a resume.
    const merged = gitIn(repo.dir, "commit-tree", "-p", before.head, "-m", "merged", `${before.head}^{tree}`);
    gitIn(repo.dir, "update-ref", "refs/heads/kappa/r1/main", merged);
    const again = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    expect(again).toMatchObject({ branch: "kappa/r1/main", baseCommit: before.head, head: merged, created: false });
    expect(userState(repo.dir)).toEqual(before);
  });

  it("starts a task worktree from the integration head, so it holds its dependencies' merged work", async () => {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const dep = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "dep", from: branch, signal });
    writeFiles(dep.dir, { "src/dep.ts": "export const dep = true;\n" });
    const depCommit = await commitTaskWork({ dir: dep.dir, runId: "r1", taskId: "dep", title: "Add dep", signal });
    gitIn(repo.dir, "update-ref", `refs/heads/${branch}`, depCommit.commit); // what a merge would do

    const next = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "uses-dep", from: integrationBranch("r1"), signal });
    expect(next).toEqual({ dir: taskWorktreePath(repo.dir, "r1", "uses-dep"), branch: "kappa/r1/uses-dep", reused: false });
    expect(readFileSync(join(next.dir, "src/dep.ts"), "utf8")).toContain("dep = true");
    expect(gitIn(next.dir, "symbolic-ref", "--short", "HEAD")).toBe("kappa/r1/uses-dep");
  });

  it("commits a task's changes in one commit that names the task, and never the user's files or kappa's own", async () => {
    const before = userState(repo.dir);
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "api", from: branch, signal });
    writeFiles(wt.dir, { "src/api.ts": "export {};\n", "README.md": "# app with api\n", ".kappa/session.log": "runtime\n" });

    const result = await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "api", title: "Build the\nAPI", signal });
    expect(result.created).toBe(true);
    expect(result.files).toEqual(["README.md", "src/api.ts"]);
    expect(gitIn(wt.dir, "log", "-1", "--format=%B")).toBe("kappa: api — Build the API\n\nKappa-Run: r1\nKappa-Task: api");
    expect(gitIn(wt.dir, "rev-parse", "HEAD")).toBe(result.commit);
    expect(gitIn(wt.dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual(["README.md", "src/api.ts"]);
    // kappa's runtime files stay out of status and commits in the worktree too.
    expect(gitIn(wt.dir, "status", "--porcelain")).toBe("");
    expect(userState(repo.dir)).toEqual(before);
    expect(readFileSync(join(repo.dir, "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("keeps a planted secret file and a half-written temp file out of the task's commit, reports them and leaves them in the worktree", async () => {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "leaky", from: branch, signal });
    writeFiles(wt.dir, { "src/b.ts": "export const b = 1;\n", ".env": "MY_SERVICE_TOKEN=tok-123456\n", "deploy/id_rsa": "-----BEGIN KEY-----\n", ".npmrc": "//registry.npmjs.org/:_authToken=npm_abcdef\n", "tasks/x.md.tmp.31337.9f3c2a1b": "half" });
    const result = await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "leaky", title: "Leaky", signal });
    expect(result.files).toEqual(["src/b.ts"]);
    expect(gitIn(wt.dir, "show", "--name-only", "--format=", "HEAD")).toBe("src/b.ts");
    expect(result.keptOut).toEqual(
      expect.arrayContaining([
        { path: ".env", reason: "secret-file" },
        { path: "deploy/id_rsa", reason: "secret-file" },
        { path: ".npmrc", reason: "secret-file" },
        { path: "tasks/x.md.tmp.31337.9f3c2a1b", reason: "temp-file" },
      ]),
    );
    expect(result.keptOut).toHaveLength(4);
    expect(readFileSync(join(wt.dir, ".env"), "utf8")).toContain("tok-123456");
  });

  it("reports nothing to commit with the current head when a task changed nothing", async () => {
    const { branch, head } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "noop", from: branch, signal });
    expect(await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "noop", title: "Nothing", signal })).toEqual({ commit: head, created: false, files: [], keptOut: [] });
  });

  it("reuses an existing worktree on resume and keeps its commits and uncommitted files", async () => {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "ui", from: branch, signal });
    writeFiles(wt.dir, { "ui.ts": "committed\n" });
    const { commit } = await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "ui", title: "UI", signal });
    writeFiles(wt.dir, { "half-done.ts": "uncommitted\n" });

    const resumed = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "ui", from: branch, signal });
    expect(resumed).toEqual({ dir: wt.dir, branch: "kappa/r1/ui", reused: true });
    expect(gitIn(wt.dir, "rev-parse", "HEAD")).toBe(commit);
    expect(readFileSync(join(wt.dir, "half-done.ts"), "utf8")).toBe("uncommitted\n");
  });

  it("attaches a new worktree to a task branch whose worktree was lost, keeping the branch's commits", async () => {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "db", from: branch, signal });
    writeFiles(wt.dir, { "db.ts": "x\n" });
    const { commit } = await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "db", title: "DB", signal });
    gitIn(repo.dir, "worktree", "remove", wt.dir);
    expect(existsSync(wt.dir)).toBe(false);

    const resumed = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "db", from: branch, signal });
    expect(resumed.reused).toBe(true);
    expect(gitIn(resumed.dir, "rev-parse", "HEAD")).toBe(commit);
  });

  it("recreates a worktree whose directory was deleted by hand, from its branch", async () => {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "docs", from: branch, signal });
    writeFiles(wt.dir, { "docs.md": "x\n" });
    const { commit } = await commitTaskWork({ dir: wt.dir, runId: "r1", taskId: "docs", title: "Docs", signal });
    rmSync(wt.dir, { recursive: true, force: true });

    const resumed = await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId: "docs", from: branch, signal });
    expect(resumed.reused).toBe(true);
    expect(gitIn(resumed.dir, "rev-parse", "HEAD")).toBe(commit);
  });

  it("creates many task worktrees at once without interfering or touching the user's checkout", async () => {
    const before = userState(repo.dir);
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    const ids = ["t-1", "t-2", "t-3", "t-4", "t-5", "t-6"];
    const made = await Promise.all(ids.map((taskId) => prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId, from: branch, signal })));
    expect(made.map((m) => m.branch)).toEqual(ids.map((id) => `kappa/r1/${id}`));
    expect(gitIn(repo.dir, "worktree", "list").split("\n")).toHaveLength(7);
    expect(userState(repo.dir)).toEqual(before);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";
import { commitTaskWork, createIntegrationBranch, findLeftovers, prepareTaskEnvironment, prepareTaskWorktree } from "../../../src/workspace/index.js";

const signal = new AbortController().signal;

describe("task environment", () => {
  let repo: { dir: string; cleanup(): void };
  beforeEach(() => {
    repo = tempRepo({ "README.md": "# app\n", ".gitignore": "node_modules/\n" });
    writeFiles(repo.dir, { ".env": "SECRET=shh\n", "config/local.json": "{}\n" });
  });
  afterEach(() => repo.cleanup());

  async function worktree(taskId: string): Promise<string> {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId: "r1", signal });
    return (await prepareTaskWorktree({ repo: repo.dir, runId: "r1", taskId, from: branch, signal })).dir;
  }

  it("copies configured untracked files into the worktree and reports missing ones without failing", async () => {
    const dir = await worktree("api");
    const result = await prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [".env", "config/local.json", ".env.missing"], taskIndex: 0, portBase: 41000, portsPerTask: 10,
      runId: "r1", taskId: "api", signal, timeoutMs: 10_000,
    });
    expect(result.copied).toEqual([".env", "config/local.json"]);
    expect(result.missing).toEqual([".env.missing"]);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("SECRET=shh\n");
    expect(result.setup).toBeUndefined();
  });

  it("never commits the copied files, so secrets stay out of task branches, and cleanup does not count them as work", async () => {
    const dir = await worktree("api");
    await prepareTaskEnvironment({ repo: repo.dir, dir, copyFiles: [".env"], taskIndex: 0, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "api", signal, timeoutMs: 10_000 });
    writeFiles(dir, { "api.ts": "x\n" });
    const commit = await commitTaskWork({ dir, runId: "r1", taskId: "api", title: "API", signal });
    expect(commit.files).toEqual(["api.ts"]);
    const [leftover] = (await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal })).filter((l) => l.kind === "worktree");
    expect(leftover).toMatchObject({ dirty: false, safeToRemove: true });
    // A copy the task changed is the task's work: it counts.
    writeFiles(dir, { ".env": "SECRET=changed\n" });
    const [changed] = (await findLeftovers({ repo: repo.dir, activeRunIds: new Set(), signal })).filter((l) => l.kind === "worktree");
    expect(changed).toMatchObject({ dirty: true, changedFiles: [".env"], safeToRemove: false });
  });

  it("gives each task its own port range and tells it its task and run", async () => {
    const dir = await worktree("api");
    const envs = await Promise.all([0, 1, 2].map((taskIndex) =>
      prepareTaskEnvironment({ repo: repo.dir, dir, copyFiles: [], taskIndex, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "api", signal, timeoutMs: 10_000 })));
    expect(envs.map((e) => e.env.PORT)).toEqual(["41000", "41010", "41020"]);
    expect(envs[1]?.env).toEqual({ PORT: "41010", KAPPA_PORT_BASE: "41010", KAPPA_PORT_COUNT: "10", KAPPA_TASK_ID: "api", KAPPA_RUN_ID: "r1" });
  });

  it("runs the setup command in the worktree with the task's environment", async () => {
    const dir = await worktree("web");
    const result = await prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [], setupCommand: "mkdir -p node_modules && echo \"port $PORT\" && pwd > node_modules/where",
      taskIndex: 3, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "web", signal, timeoutMs: 10_000,
    });
    expect(result.setup).toMatchObject({ ok: true, timedOut: false });
    expect(result.setup?.output).toContain("port 41030");
    expect(readFileSync(join(dir, "node_modules/where"), "utf8").trim()).toBe(dir);
    expect(existsSync(join(repo.dir, "node_modules"))).toBe(false);
  });

  it("reports a failing setup command as a result with its output, not an exception", async () => {
    const dir = await worktree("web");
    const result = await prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [], setupCommand: "echo installing; echo 'npm ERR! missing' >&2; exit 3",
      taskIndex: 0, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "web", signal, timeoutMs: 10_000,
    });
    expect(result.setup?.ok).toBe(false);
    expect(result.setup?.output).toContain("installing");
    expect(result.setup?.output).toContain("npm ERR! missing");
  });

  it("stops a setup command that exceeds its time limit, together with the processes it started", async () => {
    const dir = await worktree("slow");
    const started = Date.now();
    const result = await prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [], setupCommand: "sleep 30 & sleep 30; echo never",
      taskIndex: 0, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "slow", signal, timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.setup).toMatchObject({ ok: false, timedOut: true });
    expect(result.setup?.output).toContain("timeout");
    expect(gitIn(dir, "status", "--porcelain")).toBe("");
  });

  it("finishes when the setup command exits, even if it left a background process holding its output", async () => {
    const dir = await worktree("bg");
    const started = Date.now();
    const result = await prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [], setupCommand: "sleep 30 & echo ready",
      taskIndex: 0, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "bg", signal, timeoutMs: 20_000,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.setup).toMatchObject({ ok: true, output: "ready\n" });
  });

  it("stops the setup command when the run is aborted", async () => {
    const dir = await worktree("slow");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await expect(prepareTaskEnvironment({
      repo: repo.dir, dir, copyFiles: [], setupCommand: "sleep 30",
      taskIndex: 0, portBase: 41000, portsPerTask: 10, runId: "r1", taskId: "slow", signal: controller.signal, timeoutMs: 60_000,
    })).rejects.toMatchObject({ code: "ABORTED" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

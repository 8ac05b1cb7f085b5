import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, silentLogger } from "../../../src/core/index.js";
import { mergePorts } from "../../../src/graph/merge-ports.js";
import type { RunPorts } from "../../../src/graph/ports.js";
import { runContext } from "../../../src/graph/run-context.js";
import type { RunRow, TaskRow } from "../../../src/knowledge/index.js";
import { createIntegrationBranch } from "../../../src/workspace/index.js";
import { testDatabase } from "../../helpers/db.js";
import { gitIn, tempRepo, writeFiles } from "../../helpers/git.js";

const signal = AbortSignal.timeout(60_000);

function task(id: string, status: TaskRow["status"]): TaskRow {
  return {
    runId: "r1", id, position: 0, title: id, prompt: id, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1,
    files: [], acceptance: [], requirements: [], status, attempts: 1, reason: null, interruptedBy: null, branch: null, worktree: null, headCommit: null,
    mergeCommit: null, mergeStrategy: null, feedback: null, startedAt: null, finishedAt: null, durationMs: null, dependsOn: [],
  };
}

describe("merging a task that a crashed run may have merged already", () => {
  let repo: { dir: string; cleanup(): void };
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let ports: Pick<RunPorts, "merge">;
  const integration = "kappa/r1/main";
  const head = (): string => gitIn(repo.dir, "rev-parse", integration);
  const branch = (name: string, file: string): string => {
    gitIn(repo.dir, "branch", name, integration);
    gitIn(repo.dir, "checkout", "-q", name);
    writeFiles(repo.dir, { [file]: `${name}\n` });
    gitIn(repo.dir, "add", file);
    gitIn(repo.dir, "commit", "-q", "-m", name);
    gitIn(repo.dir, "checkout", "-q", "main");
    return gitIn(repo.dir, "rev-parse", name);
  };
  // Each call is a new orchestrator process: it knows nothing of the merges before it.
  const freshPorts = (): Pick<RunPorts, "merge"> => {
    const config = loadConfig({ projectDir: repo.dir, env: {} }).config;
    return mergePorts(runContext({ run: { id: "r1" } as RunRow, repo: repo.dir, config, pool: db.pool, logger: silentLogger() }), undefined);
  };

  beforeEach(async () => {
    repo = tempRepo();
    db = await testDatabase();
    await createIntegrationBranch({ repo: repo.dir, runId: "r1" });
    ports = freshPorts();
  });
  afterEach(async () => {
    await db.drop();
    repo.cleanup();
  });

  it("finds the merge made before the crash instead of adding an empty one, and gates it again while it is the head", async () => {
    const a = branch("a", "a.txt");
    const first = await ports.merge(task("a", "pending"), { head: a, finishedAt: Date.now(), afterCrash: false }, signal);
    expect(first).toMatchObject({ status: "merged", commit: head() });
    const again = await freshPorts().merge(task("a", "completed"), { head: a, finishedAt: Date.now(), afterCrash: true }, signal);
    expect(again).toEqual({ status: "merged", commit: (first as { commit: string }).commit, previousHead: (first as { previousHead: string }).previousHead, strategy: "merge", settled: false });
    expect(head()).toBe((first as { commit: string }).commit);
  });

  it("leaves a merge with later merges on top as it is (settled)", async () => {
    const a = branch("a", "a.txt");
    const b = branch("b", "b.txt");
    const first = await ports.merge(task("a", "pending"), { head: a, finishedAt: Date.now(), afterCrash: false }, signal);
    await ports.merge(task("b", "pending"), { head: b, finishedAt: Date.now(), afterCrash: false }, signal);
    const before = head();
    const again = await freshPorts().merge(task("a", "completed"), { head: a, finishedAt: Date.now(), afterCrash: true }, signal);
    expect(again).toMatchObject({ status: "merged", commit: (first as { commit: string }).commit, settled: true });
    expect(head()).toBe(before);
  });

  it("still merges a completed task whose work is not on the integration branch", async () => {
    const a = branch("a", "a.txt");
    const before = head();
    const merged = await freshPorts().merge(task("a", "completed"), { head: a, finishedAt: Date.now(), afterCrash: true }, signal);
    expect(merged).toMatchObject({ status: "merged", previousHead: before });
    expect(gitIn(repo.dir, "ls-tree", "--name-only", integration)).toContain("a.txt");
  });
});

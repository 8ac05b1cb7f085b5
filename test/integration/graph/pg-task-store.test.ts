import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IllegalTransitionError, StaleAttemptError } from "../../../src/core/index.js";
import { MemoryTaskStore } from "../../../src/graph/memory-task-store.js";
import { PgTaskStore } from "../../../src/graph/pg-task-store.js";
import type { TaskStore } from "../../../src/graph/task-store.js";
import { ensureProject, insertRun, insertTasks } from "../../../src/knowledge/index.js";
import { testDatabase } from "../../helpers/db.js";
import { memoryPlan, pendingRows } from "../../helpers/memory-run.js";

const plan = memoryPlan([{ id: "a" }, { id: "b", dependsOn: ["a"] }]);

/** One task's whole life: conflict, resolution failing the gate, retry, crash, restart, merge. */
async function life(store: TaskStore): Promise<unknown> {
  const at = (attempts: number) => ({ id: "a", attempts });
  await store.transition("start", at(0), { worktree: "/w/a", branch: "kappa/r1/a", startedAt: new Date(1000) });
  await store.transition("sessionEnded", at(1), { headCommit: "h1", finishedAt: new Date(2000), durationMs: 1000 });
  await store.transition("waitForReview", at(1), { reason: "merge conflict in x (conflict 7)" });
  await store.transition("retry", at(1), { reason: "gate failed", feedback: "tests failed" });
  await store.transition("start", at(1), { worktree: "/w/a", branch: "kappa/r1/a", startedAt: new Date(3000) });
  await store.transition("interrupt", at(2), { cause: "crash", reason: "interrupted by a crash; restarting", headCommit: "h2" });
  await store.transition("start", at(2), { worktree: "/w/a", branch: "kappa/r1/a", startedAt: new Date(4000) });
  await store.transition("sessionEnded", at(3), { headCommit: "h3", finishedAt: new Date(5000), durationMs: 1000 });
  await store.transition("merged", at(3), { mergeCommit: "m3", mergeStrategy: "merge" });
  await store.transition("skip", { id: "b", attempts: 0 }, { reason: "depends on a" });
  return store.list();
}

describe("the task lifecycle in PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let store: PgTaskStore;
  beforeEach(async () => {
    db = await testDatabase();
    const project = await ensureProject(db.pool, "/tmp/p", "p");
    await insertRun(db.pool, { id: "r1", projectId: project.id, specPath: undefined, plan, options: { maxParallel: 2, schedule: "dag" } });
    await insertTasks(db.pool, "r1", plan.tasks);
    store = new PgTaskStore(db.pool, "r1");
  });
  afterEach(() => db.drop());

  it("writes the same rows through its guarded statements as the lifecycle's pure table does", async () => {
    const strip = (rows: unknown) => JSON.parse(JSON.stringify(rows)) as unknown;
    expect(strip(await life(store))).toEqual(strip(await life(new MemoryTaskStore(pendingRows(plan)))));
  });

  it("refuses an illegal transition and a stale attempt without writing anything", async () => {
    await expect(store.transition("merged", { id: "a", attempts: 0 }, { mergeCommit: "m", mergeStrategy: "merge" })).rejects.toBeInstanceOf(IllegalTransitionError);
    await store.transition("start", { id: "a", attempts: 0 }, { worktree: "/w/a", branch: "kappa/r1/a", startedAt: new Date() });
    await expect(store.transition("sessionEnded", { id: "a", attempts: 0 }, { headCommit: "h", finishedAt: new Date(), durationMs: 1 })).rejects.toBeInstanceOf(StaleAttemptError);
    const [a] = await store.list();
    expect(a).toMatchObject({ status: "running", attempts: 1, headCommit: null });
  });

  it("stores only known statuses and interruption causes", async () => {
    await expect(db.pool.query("UPDATE tasks SET status = 'conflict' WHERE id = 'a'")).rejects.toThrow(/tasks_status_known/);
    await expect(db.pool.query("UPDATE tasks SET interrupted_by = 'sometimes' WHERE id = 'a'")).rejects.toThrow(/check constraint/);
  });
});

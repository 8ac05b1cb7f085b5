import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventBus, InputError, Scrubber, loadConfig, silentLogger, type KappaEvent, type Plan } from "../../../src/core/index.js";
import { createRun, RunControl, startRun } from "../../../src/graph/index.js";
import { sessionsForTask, setRunStatus } from "../../../src/knowledge/index.js";
import { FakeDriver } from "../../../src/sessions/fake-driver.js";
import { testDatabase } from "../../helpers/db.js";
import { gitIn, tempRepo } from "../../helpers/git.js";
import { memoryPlan } from "../../helpers/memory-run.js";

describe("starting a run", () => {
  let repo: { dir: string; cleanup(): void };
  let db: Awaited<ReturnType<typeof testDatabase>>;
  const plan: Plan = memoryPlan([{ id: "a" }, { id: "b", dependsOn: ["a"] }]);

  beforeEach(async () => {
    repo = tempRepo();
    db = await testDatabase();
    await createRun({ db, repo: repo.dir, runId: "r1", plan, options: { maxParallel: 2, schedule: "dag", simulate: "test" } });
  });
  afterEach(async () => {
    await db.drop();
    repo.cleanup();
  });

  const start = (events: KappaEvent[]) => {
    const bus = new EventBus();
    bus.onAny((e) => events.push(e));
    return startRun({
      db,
      config: loadConfig({ projectDir: repo.dir, env: {} }).config,
      bus,
      logger: silentLogger(),
      scrubber: new Scrubber([]),
      repo: repo.dir,
      runId: "r1",
      driver: new FakeDriver({ tasks: { a: [{ files: { "a.txt": "a\n" } }], b: [{ files: { "b.txt": "b\n" } }] } }),
      accounts: [{ name: "fake", apiKey: undefined, baseUrl: undefined, model: "m", simulated: true }],
      control: new RunControl(),
    });
  };

  it("announces a new run with run:started and merges its tasks", async () => {
    const events: KappaEvent[] = [];
    const result = await start(events);
    expect(result).toMatchObject({ kind: "finished", summary: { status: "completed", merged: ["a", "b"], integrationBranch: "kappa/r1/main" } });
    expect(events.map((e) => e.type)).toContain("run:started");
    expect(gitIn(repo.dir, "ls-tree", "--name-only", "kappa/r1/main").split("\n")).toEqual(expect.arrayContaining(["a.txt", "b.txt"]));
  });

  it("records the task's attempt on its session rows, its commit and its merge commit", async () => {
    await start([]);
    const [session] = await sessionsForTask(db.pool, "r1", "a");
    expect(session).toMatchObject({ taskAttempt: 1 });
    const trailers = (ref: string) => gitIn(repo.dir, "log", "-1", "--format=%(trailers:key=Kappa-Task,valueonly)%(trailers:key=Kappa-Attempt,valueonly)", ref).split("\n").filter(Boolean);
    expect(trailers("kappa/r1/a")).toEqual(["a", "1"]);
    expect(trailers("kappa/r1/main")).toEqual(["b", "1"]);
  });

  it("resumes a run whose process was killed right at run:started (before any checkpoint) with run:resumed, and completes it", async () => {
    // What the killed process left: the run marked running, no checkpoint, no task recorded.
    await setRunStatus(db.pool, "r1", "running");
    const events: KappaEvent[] = [];
    const result = await start(events);
    expect(result).toMatchObject({ kind: "finished", summary: { status: "completed" } });
    const types = events.map((e) => e.type);
    expect(types).toContain("run:resumed");
    expect(types).not.toContain("run:started");
    expect(events.find((e) => e.type === "run:resumed")).toMatchObject({ remaining: 2 });
  });

  it("refuses to drive a run that has already finished, with what to do instead", async () => {
    await start([]);
    const again = start([]);
    await expect(again).rejects.toBeInstanceOf(InputError);
    await expect(again).rejects.toThrow("run r1 has already finished (completed)");
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventBus, InputError, loadConfig, type KappaEvent, type Plan } from "../../../src/core/index.js";
import { assertRepositoryHasCommit, planRun } from "../../../src/graph/index.js";
import { gitIn, tempDir, tempRepo } from "../../helpers/git.js";
import { memoryPlan } from "../../helpers/memory-run.js";

describe("planning a new run", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  const plan = (repo: string, p: Plan, serializeOverlaps = false) => {
    const events: KappaEvent[] = [];
    const bus = new EventBus();
    bus.onAny((e) => events.push(e));
    const config = loadConfig({ projectDir: repo, env: {} }).config;
    return planRun({ repo, runId: "r1", config, bus, plan: p, serializeOverlaps, signal: AbortSignal.timeout(60_000) }).then((planned) => ({ planned, events }));
  };

  it("refuses a repository without a commit, saying to commit first", async () => {
    const d = tempDir();
    cleanups.push(() => d.cleanup());
    gitIn(d.dir, "init", "-q", "-b", "main");
    const refused = await assertRepositoryHasCommit(d.dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(/has no commit yet/);
  });

  it("warns about uncommitted changes and about parallel tasks expected to change the same file, and says the plan is ready", async () => {
    const repo = tempRepo({ "README.md": "# r\n" });
    cleanups.push(() => repo.cleanup());
    writeFileSync(join(repo.dir, "README.md"), "# changed\n");
    const p = memoryPlan([{ id: "a" }, { id: "b" }]);
    for (const t of p.tasks) t.files = ["src/shared.ts"];
    const { planned, events } = await plan(repo.dir, p);
    const warnings = events.filter((e) => e.type === "plan:warning").map((e) => (e as { message: string }).message);
    expect(warnings.some((m) => /a, b may run at the same time .*src\/shared\.ts/.test(m))).toBe(true);
    expect(warnings.some((m) => /1 file\(s\) have uncommitted changes/.test(m))).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "plan:ready", tasks: 2, planner: "file" });
    expect(planned.plan.tasks.map((t) => t.dependsOn)).toEqual([[], []]);
  });

  it("orders the overlapping tasks instead of warning with serializeOverlaps", async () => {
    const repo = tempRepo();
    cleanups.push(() => repo.cleanup());
    const p = memoryPlan([{ id: "a" }, { id: "b" }]);
    for (const t of p.tasks) t.files = ["src/shared.ts"];
    const { planned, events } = await plan(repo.dir, p, true);
    expect(events.filter((e) => e.type === "plan:warning")).toEqual([]);
    expect(planned.plan.tasks.flatMap((t) => t.dependsOn)).toHaveLength(1);
    expect(planned.resolved.waves).toHaveLength(2);
  });
});

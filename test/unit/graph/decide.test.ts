import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../../src/core/index.js";
import { resolvePlan, type ResolvedPlan } from "../../../src/decomposition/index.js";
import { decideStarts, dependentsToSkip, readyTasks, runOutcome, type TaskState } from "../../../src/graph/decide.js";

type Spec = { id: string; dependsOn?: string[]; minutes?: number; priority?: "P0" | "P1" | "P2" | "P3" };

function plan(specs: Spec[]): ResolvedPlan {
  const p: Plan = {
    version: 1,
    name: "t",
    requirements: [],
    tasks: specs.map((s) => ({
      id: s.id,
      title: s.id,
      prompt: s.id,
      category: "logic",
      complexity: 1,
      priority: s.priority ?? "P1",
      estimateMinutes: s.minutes ?? 10,
      dependsOn: s.dependsOn ?? [],
      files: [],
      acceptance: [],
      requirements: [],
    })),
  };
  return resolvePlan(p);
}

const states = (resolved: ResolvedPlan, status: Record<string, TaskState["status"]>): TaskState[] =>
  resolved.plan.tasks.map((t) => ({ id: t.id, status: status[t.id] ?? "pending", dependsOn: t.dependsOn }));

describe("choosing which tasks start", () => {
  it("starts a task only when every dependency is merged", () => {
    const r = plan([{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }, { id: "d", dependsOn: ["a", "b"] }]);
    const tasks = states(r, { a: "merged", b: "running" });
    expect(readyTasks({ tasks, running: new Set(["b"]), policy: "dag", resolved: r })).toEqual(["c"]);
  });

  it("picks up a task whose session finished before a crash but which was not merged", () => {
    const r = plan([{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a"] }]);
    const tasks = states(r, { a: "merged", b: "completed", c: "completed" });
    expect(readyTasks({ tasks, running: new Set(["c"]), policy: "dag", resolved: r })).toEqual(["b"]);
  });

  it("starts the task with the longest remaining critical path first, then the higher priority", () => {
    const r = plan([
      { id: "short", minutes: 5, priority: "P0" },
      { id: "long", minutes: 50, priority: "P2" },
      { id: "tie-p1", minutes: 20, priority: "P1" },
      { id: "tie-p0", minutes: 20, priority: "P0" },
    ]);
    expect(decideStarts({ tasks: states(r, {}), running: new Set(), freeSlots: 3, policy: "dag", resolved: r })).toEqual(["long", "tie-p0", "tie-p1"]);
  });

  it("never starts more tasks than there are free slots, nor one already running", () => {
    const r = plan([{ id: "a" }, { id: "b" }, { id: "c" }]);
    const tasks = states(r, {});
    expect(decideStarts({ tasks, running: new Set(["a"]), freeSlots: 1, policy: "dag", resolved: r })).toHaveLength(1);
    expect(decideStarts({ tasks, running: new Set(["a"]), freeSlots: 5, policy: "dag", resolved: r })).not.toContain("a");
    expect(decideStarts({ tasks, running: new Set(), freeSlots: 0, policy: "dag", resolved: r })).toEqual([]);
  });

  it("with the waves policy, waits until the earlier wave has finished", () => {
    const r = plan([{ id: "a" }, { id: "slow" }, { id: "after-a", dependsOn: ["a"] }]);
    const tasks = states(r, { a: "merged", slow: "running" });
    expect(readyTasks({ tasks, running: new Set(["slow"]), policy: "waves", resolved: r })).toEqual([]);
    expect(readyTasks({ tasks, running: new Set(["slow"]), policy: "dag", resolved: r })).toEqual(["after-a"]);
  });

  it("for any DAG and any progress, a started task's dependencies are all merged", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("pending", "merged", "running", "failed"), fc.array(fc.nat(20), { maxLength: 4 })), { minLength: 1, maxLength: 20 }),
        fc.constantFrom("dag" as const, "waves" as const),
        (spec, policy) => {
          const r = plan(spec.map(([, deps], i) => ({ id: `t${i}`, dependsOn: [...new Set(deps.filter((d) => d < i).map((d) => `t${d}`))] })));
          const tasks = r.plan.tasks.map((t, i) => ({ id: t.id, status: spec[i]?.[0] as TaskState["status"], dependsOn: t.dependsOn }));
          const byId = new Map(tasks.map((x) => [x.id, x]));
          const started = decideStarts({ tasks, running: new Set(), freeSlots: 100, policy, resolved: r });
          return started.every((id) => byId.get(id)?.status === "pending" && byId.get(id)?.dependsOn.every((d) => byId.get(d)?.status === "merged"));
        },
      ),
    );
  });
});

describe("a failed task", () => {
  it("skips its transitive dependents and nothing else", () => {
    const tasks: TaskState[] = [
      { id: "a", status: "failed", dependsOn: [] },
      { id: "b", status: "pending", dependsOn: ["a"] },
      { id: "c", status: "pending", dependsOn: ["b"] },
      { id: "d", status: "pending", dependsOn: [] },
      { id: "e", status: "merged", dependsOn: [] },
    ];
    expect(dependentsToSkip("a", tasks)).toEqual(["b", "c"]);
  });
});

describe("the run's outcome", () => {
  const t = (id: string, status: TaskState["status"]): TaskState => ({ id, status, dependsOn: [] });
  it("is completed when every task merged, partial when some did, failed when none did", () => {
    expect(runOutcome([t("a", "merged"), t("b", "merged")])).toBe("completed");
    expect(runOutcome([t("a", "merged"), t("b", "failed")])).toBe("partial");
    expect(runOutcome([t("a", "failed"), t("b", "skipped")])).toBe("failed");
  });
});

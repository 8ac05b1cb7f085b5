import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideStarts, dependentsToSkip, readyTasks, runOutcome, type TaskState } from "../../../src/graph/decide.js";

const t = (id: string, status: TaskState["status"], dependsOn: string[] = [], priority = "P1"): TaskState => ({ id, status, dependsOn, priority });

describe("choosing which tasks start", () => {
  it("starts a task only when every dependency is merged", () => {
    const tasks = [t("a", "merged"), t("b", "running"), t("c", "pending", ["a"]), t("d", "pending", ["a", "b"])];
    expect(readyTasks({ tasks, running: new Set(["b"]), policy: "dag", level: {}, remaining: {} })).toEqual(["c"]);
  });

  it("picks up a task whose session finished before a crash but which was not merged", () => {
    const tasks = [t("a", "merged"), t("b", "completed", ["a"]), t("c", "completed", ["a"])];
    expect(readyTasks({ tasks, running: new Set(["c"]), policy: "dag", level: {}, remaining: {} })).toEqual(["b"]);
  });

  it("starts the task with the longest remaining critical path first, then the higher priority", () => {
    const tasks = [t("short", "pending", [], "P0"), t("long", "pending", [], "P2"), t("tie-p1", "pending", [], "P1"), t("tie-p0", "pending", [], "P0")];
    const remaining = { short: 5, long: 50, "tie-p1": 20, "tie-p0": 20 };
    expect(decideStarts({ tasks, running: new Set(), freeSlots: 3, policy: "dag", level: {}, remaining })).toEqual(["long", "tie-p0", "tie-p1"]);
  });

  it("never starts more tasks than there are free slots, nor one already running", () => {
    const tasks = [t("a", "pending"), t("b", "pending"), t("c", "pending")];
    expect(decideStarts({ tasks, running: new Set(["a"]), freeSlots: 1, policy: "dag", level: {}, remaining: {} })).toHaveLength(1);
    expect(decideStarts({ tasks, running: new Set(["a"]), freeSlots: 5, policy: "dag", level: {}, remaining: {} })).not.toContain("a");
    expect(decideStarts({ tasks, running: new Set(), freeSlots: 0, policy: "dag", level: {}, remaining: {} })).toEqual([]);
  });

  it("with the waves policy, waits until the earlier wave has finished", () => {
    const tasks = [t("a", "merged"), t("slow", "running"), t("after-a", "pending", ["a"])];
    const level = { a: 0, slow: 0, "after-a": 1 };
    expect(readyTasks({ tasks, running: new Set(["slow"]), policy: "waves", level, remaining: {} })).toEqual([]);
    expect(readyTasks({ tasks, running: new Set(["slow"]), policy: "dag", level, remaining: {} })).toEqual(["after-a"]);
  });

  it("for any DAG, a started task's dependencies are all merged", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("pending", "merged", "running", "failed"), fc.array(fc.nat(20), { maxLength: 4 })), { minLength: 1, maxLength: 20 }), (spec) => {
        const tasks = spec.map(([status, deps], i) => t(`t${i}`, status as TaskState["status"], deps.filter((d) => d < i).map((d) => `t${d}`)));
        const started = decideStarts({ tasks, running: new Set(), freeSlots: 100, policy: "dag", level: {}, remaining: {} });
        const byId = new Map(tasks.map((x) => [x.id, x]));
        return started.every((id) => byId.get(id)?.status === "pending" && byId.get(id)?.dependsOn.every((d) => byId.get(d)?.status === "merged"));
      }),
    );
  });
});

describe("a failed task", () => {
  it("skips its transitive dependents and nothing else", () => {
    const tasks = [t("a", "failed"), t("b", "pending", ["a"]), t("c", "pending", ["b"]), t("d", "pending"), t("e", "merged", [])];
    expect(dependentsToSkip("a", tasks)).toEqual(["b", "c"]);
  });
});

describe("the run's outcome", () => {
  it("is completed when every task merged, partial when some did, failed when none did", () => {
    expect(runOutcome([t("a", "merged"), t("b", "merged")])).toBe("completed");
    expect(runOutcome([t("a", "merged"), t("b", "failed")])).toBe("partial");
    expect(runOutcome([t("a", "failed"), t("b", "skipped")])).toBe("failed");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan, PlannedTask, Priority } from "../../../src/core/index.js";
import { forecast, pickNext, resolvePlan, simulateSchedule, waveBarrierReady } from "../../../src/decomposition/index.js";

function task(id: string, dependsOn: string[] = [], estimateMinutes = 10, priority: Priority = "P1"): PlannedTask {
  return { id, title: id, prompt: id, category: "logic", complexity: 3, priority, estimateMinutes, dependsOn, files: [], acceptance: [], requirements: [] };
}
const plan = (tasks: PlannedTask[]): Plan => ({ version: 1, name: "p", requirements: [], tasks });

describe("the scheduling policy", () => {
  const r = resolvePlan(plan([task("long", [], 30), task("after-long", ["long"], 30), task("short", [], 5, "P0"), task("tie-b", [], 5), task("tie-a", [], 5)]));

  it("starts the task with the longest remaining path first, then the most urgent, then by id", () => {
    expect(pickNext(["tie-b", "short", "tie-a", "long"], r)).toEqual(["long", "short", "tie-a", "tie-b"]);
  });

  it("with wave barriers, offers only tasks of the lowest unfinished wave", () => {
    const r2 = resolvePlan(plan([task("a"), task("b"), task("c", ["a"])]));
    expect(waveBarrierReady(["b", "c"], new Set(["a"]), r2)).toEqual(["b"]);
    expect(waveBarrierReady(["c"], new Set(["a", "b"]), r2)).toEqual(["c"]);
  });

  it("never starts a task before its dependencies finish, nor runs more than N at once (any DAG)", () => {
    const arb = fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 6 }), fc.constantFrom("dag" as const, "waves" as const)));
    fc.assert(fc.property(arb, ([edges, minutes, sessions, policy]) => {
      const p = plan(edges.map((ds, i) => task(`t${i}`, i === 0 ? [] : [...new Set(ds.map((d) => `t${d % i}`))], minutes[i] ?? 1)));
      const res = resolvePlan(p);
      const { makespan, starts } = simulateSchedule(res, {}, sessions, policy);
      const end = (id: string) => starts[id]! + res.tasks[id]!.estimateMinutes;
      for (const t of res.plan.tasks) for (const d of t.dependsOn) expect(starts[t.id]!).toBeGreaterThanOrEqual(end(d));
      for (const t of res.plan.tasks) {
        const s = starts[t.id]!;
        expect(res.plan.tasks.filter((o) => starts[o.id]! <= s && end(o.id) > s).length).toBeLessThanOrEqual(sessions);
      }
      expect(makespan).toBeGreaterThanOrEqual(res.criticalPathMinutes);
      if (policy === "waves") for (const t of res.plan.tasks) for (const o of res.plan.tasks) if (res.level[o.id]! < res.level[t.id]!) expect(starts[t.id]!).toBeGreaterThanOrEqual(end(o.id));
    }));
  });

  it("forecasts the critical path with enough sessions, the serial time with one", () => {
    const f8 = forecast(r, { sessions: 8 });
    expect(f8.makespanMinutes.dag).toBe(60);
    expect(f8.serialMinutes).toBe(75);
    expect(forecast(r, { sessions: 1 }).makespanMinutes.dag).toBe(75);
    expect(f8.tokens.low).toBeLessThan(f8.tokens.high);
    expect(f8.costUsd.low).toBeGreaterThan(0);
  });

  it("shows wave barriers costing time when wave lengths are uneven", () => {
    const uneven = resolvePlan(plan([task("a", [], 30), task("b", [], 5), task("c", ["b"], 30)]));
    expect(simulateSchedule(uneven, {}, 4, "dag").makespan).toBe(35);
    expect(simulateSchedule(uneven, {}, 4, "waves").makespan).toBe(60);
  });
});

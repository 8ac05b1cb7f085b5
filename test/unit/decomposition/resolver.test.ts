import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlanCycleError, PlanError, type Plan, type PlannedTask } from "../../../src/core/index.js";
import { resolvePlan } from "../../../src/decomposition/index.js";

function task(id: string, dependsOn: string[] = [], estimateMinutes = 10): PlannedTask {
  return { id, title: id, prompt: `do ${id}`, category: "logic", complexity: 2, priority: "P1", estimateMinutes, dependsOn, files: [], acceptance: [], requirements: [] };
}
const plan = (tasks: PlannedTask[]): Plan => ({ version: 1, name: "p", requirements: [], tasks });

/** Random DAGs: task i may depend only on tasks before it. */
const dagArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(
    fc.array(fc.array(fc.nat(), { maxLength: 5 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 1, max: 60 }), { minLength: n, maxLength: n }),
  ).map(([edges, minutes]) => plan(edges.map((ds, i) => task(`t${i}`, i === 0 ? [] : ds.map((d) => `t${d % i}`), minutes[i] ?? 1)))),
);

/** Longest path (by minutes) through the original graph, computed naively. */
function longestPath(p: Plan): number {
  const memo = new Map<string, number>();
  const byId = new Map(p.tasks.map((t) => [t.id, t]));
  const ends = (id: string): number => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const t = byId.get(id)!;
    const value = t.estimateMinutes + Math.max(0, ...t.dependsOn.map(ends));
    memo.set(id, value);
    return value;
  };
  return Math.max(...p.tasks.map((t) => ends(t.id)));
}

function reachable(p: Plan, from: string, to: string): boolean {
  const byId = new Map(p.tasks.map((t) => [t.id, t]));
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...byId.get(id)!.dependsOn);
  }
  return false;
}

describe("the dependency resolver", () => {
  it("puts every task in a later wave than each of its dependencies (any DAG)", () => {
    fc.assert(fc.property(dagArb, (p) => {
      const r = resolvePlan(p);
      for (const t of p.tasks) for (const d of t.dependsOn) expect(r.level[t.id]!).toBeGreaterThan(r.level[d]!);
      expect(r.waves.flat().sort()).toEqual(p.tasks.map((t) => t.id).sort());
    }));
  });

  it("finds a critical path that is a real chain and a longest path (any DAG)", () => {
    fc.assert(fc.property(dagArb, (p) => {
      const r = resolvePlan(p);
      const byId = new Map(r.plan.tasks.map((t) => [t.id, t]));
      for (let i = 1; i < r.criticalPath.length; i++) expect(byId.get(r.criticalPath[i]!)!.dependsOn).toContain(r.criticalPath[i - 1]);
      const minutes = r.criticalPath.reduce((s, id) => s + byId.get(id)!.estimateMinutes, 0);
      expect(minutes).toBe(longestPath(p));
      expect(r.criticalPathMinutes).toBe(minutes);
    }));
  });

  it("removes only dependencies that another path already implies (any DAG)", () => {
    fc.assert(fc.property(dagArb, (p) => {
      const r = resolvePlan(p);
      for (const t of p.tasks) {
        const reduced = r.plan.tasks.find((x) => x.id === t.id)!;
        for (const d of t.dependsOn) expect(reachable(r.plan, t.id, d)).toBe(true);
        for (const d of reduced.dependsOn) {
          const without = plan(r.plan.tasks.map((x) => (x.id === t.id ? { ...x, dependsOn: x.dependsOn.filter((y) => y !== d) } : x)));
          expect(reachable(without, t.id, d)).toBe(false);
        }
      }
    }));
  });

  it("names the cycle when dependencies form one", () => {
    const p = plan([task("a", ["c"]), task("b", ["a"]), task("c", ["b"]), task("d")]);
    const error = (() => { try { resolvePlan(p); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(PlanCycleError);
    const cycle = (error as PlanCycleError).cycle;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(["a", "b", "c"]));
    expect((error as PlanCycleError).exitCode).toBe(2);
  });

  it("rejects unknown, duplicate, self and unsafe ids with a message naming the id", () => {
    const cases: [PlannedTask[], RegExp][] = [
      [[task("a", ["ghost"])], /unknown task "ghost"/],
      [[task("a"), task("a")], /"a" is used by more than one task/],
      [[task("a", ["a"])], /"a" depends on itself/],
      [[task("../x")], /"\.\.\/x" is not safe/],
      [[task("has space")], /"has space" is not safe/],
      [[task("x;rm -rf")], /not safe/],
      [[task("a".repeat(300))], /300 characters/],
    ];
    for (const [tasks, message] of cases) {
      expect(() => resolvePlan(plan(tasks))).toThrow(PlanError);
      expect(() => resolvePlan(plan(tasks))).toThrow(message);
    }
  });

  it("handles a plan of several thousand tasks quickly", () => {
    const n = 4000;
    const tasks = Array.from({ length: n }, (_, i) => task(`t${i}`, i === 0 ? [] : [`t${Math.floor(i / 2)}`, "t0", `t${Math.max(0, i - 3)}`].filter((d, k, a) => a.indexOf(d) === k && d !== `t${i}`)));
    const start = performance.now();
    const r = resolvePlan(plan(tasks));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.plan.tasks.length).toBe(n);
  });
});

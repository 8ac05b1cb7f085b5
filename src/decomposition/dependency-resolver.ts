/**
 * Validates a plan's dependency graph and derives what scheduling needs: transitive edges removed, waves
 * (longest-path levels), the critical path in estimated minutes and a parallelism profile. Runs in
 * O(tasks × edges / 32) thanks to bitset reachability, fast enough for plans of thousands of tasks.
 */
import { PlanCycleError, PlanError, RESERVED_TASK_IDS, TASK_ID_PATTERN, TASK_ID_RULE, type Plan, type PlannedTask } from "../core/index.js";

export interface ParallelismProfile {
  /** Tasks in each wave. */
  widths: number[];
  maxWidth: number;
  averageWidth: number;
  /** Serial minutes ÷ critical-path minutes: the best speedup any number of sessions could reach. */
  idealSpeedup: number;
}

export interface ResolvedPlan {
  /** The plan with duplicate and transitive (implied) dependencies removed. */
  plan: Plan;
  tasks: Record<string, PlannedTask>;
  /** Topological order (stable: plan order where free). */
  order: string[];
  waves: string[][];
  criticalPath: string[];
  criticalPathMinutes: number;
  level: Record<string, number>;
  /** Longest remaining path in estimated minutes, including the task itself. */
  remaining: Record<string, number>;
  dependents: Record<string, string[]>;
  parallelism: ParallelismProfile;
}

/** A problem in a plan, located by its path in the plan document (for line numbers in plan files). */
export interface PlanIssue {
  message: string;
  hint: string;
  path: (string | number)[];
}

/** A plan problem with its location; still a {@link PlanError} (exit code 2). */
export class PlanIssueError extends PlanError {
  override readonly name = "PlanIssueError";
  readonly path: (string | number)[];
  constructor(issue: PlanIssue) {
    super(issue.message, { hint: issue.hint });
    this.path = issue.path;
  }
}

function show(id: string): string {
  const printable = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
  return id.length > 40 ? `${printable} (${id.length} characters)` : printable;
}

/** Unsafe, duplicate and unknown ids, and self-dependencies; empty when the ids are sound. */
export function planIssues(plan: Plan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const seen = new Map<string, number>();
  plan.tasks.forEach((t, i) => {
    if (!TASK_ID_PATTERN.test(t.id)) {
      issues.push({ message: `task id ${show(t.id)} is not safe to use as a branch and directory name`, hint: `rename it: a task id must be ${TASK_ID_RULE}`, path: ["tasks", i, "id"] });
    } else if (RESERVED_TASK_IDS.includes(t.id)) {
      issues.push({ message: `task id ${show(t.id)} is reserved: kappa/<run>/${t.id} is the run's integration branch`, hint: `rename the task (e.g. ${t.id}-task) and every mention of it in dependsOn`, path: ["tasks", i, "id"] });
    } else if (seen.has(t.id)) {
      issues.push({ message: `task id ${show(t.id)} is used by more than one task`, hint: "give each task its own id (e.g. add -2 to the second one)", path: ["tasks", i, "id"] });
    }
    seen.set(t.id, i);
  });
  plan.tasks.forEach((t, i) => {
    t.dependsOn.forEach((d, j) => {
      if (d === t.id) issues.push({ message: `task ${show(t.id)} depends on itself`, hint: `remove ${show(d)} from its dependsOn`, path: ["tasks", i, "dependsOn", j] });
      else if (!seen.has(d)) issues.push({ message: `task ${show(t.id)} depends on an unknown task ${show(d)}`, hint: "fix the id in dependsOn, or add the missing task", path: ["tasks", i, "dependsOn", j] });
    });
  });
  return issues;
}

/** Validates and resolves a plan; throws PlanIssueError / PlanCycleError (both PlanErrors, exit code 2). */
export function resolvePlan(plan: Plan): ResolvedPlan {
  const first = planIssues(plan)[0];
  if (first) throw new PlanIssueError(first);
  const n = plan.tasks.length;
  const index = new Map(plan.tasks.map((t, i) => [t.id, i]));
  const deps = plan.tasks.map((t) => [...new Set(t.dependsOn)].map((d) => index.get(d) as number));
  const order = topologicalOrder(plan, deps);

  // Bitset of ancestors per task, in topological order; a dependency implied by another one is dropped.
  const words = Math.ceil(n / 32);
  const ancestors = new Uint32Array(n * words);
  const kept: number[][] = new Array<number[]>(n);
  // A dependency d of v is implied iff d is an ancestor of another dependency: d is in the union of their
  // ancestor sets (d is never its own ancestor in a DAG). O(dependencies × n/32) per task.
  for (const v of order) {
    const mine = deps[v] ?? [];
    const base = v * words;
    for (const d of mine) {
      const db = d * words;
      for (let w = 0; w < words; w++) ancestors[base + w]! |= ancestors[db + w]!;
    }
    kept[v] = mine.filter((d) => (ancestors[base + (d >>> 5)]! & (1 << (d & 31))) === 0);
    for (const d of mine) ancestors[base + (d >>> 5)]! |= 1 << (d & 31);
  }

  const tasks: PlannedTask[] = plan.tasks.map((t, i) => ({ ...t, dependsOn: (kept[i] ?? []).map((d) => plan.tasks[d]?.id as string) }));
  const byId: Record<string, PlannedTask> = {};
  for (const t of tasks) byId[t.id] = t;
  const dependents: number[][] = tasks.map(() => []);
  tasks.forEach((_, i) => { for (const d of kept[i] ?? []) dependents[d]?.push(i); });

  const levels = new Array<number>(n).fill(0);
  for (const v of order) for (const d of kept[v] ?? []) levels[v] = Math.max(levels[v] ?? 0, (levels[d] ?? 0) + 1);
  const rem = new Array<number>(n).fill(0);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k] as number;
    let best = 0;
    for (const c of dependents[v] ?? []) best = Math.max(best, rem[c] ?? 0);
    rem[v] = (tasks[v]?.estimateMinutes ?? 0) + best;
  }

  const waves: string[][] = [];
  for (let i = 0; i < n; i++) (waves[levels[i] ?? 0] ??= []).push(tasks[i]?.id as string);
  const criticalPath: string[] = [];
  let current = -1;
  for (let i = 0; i < n; i++) if ((kept[i] ?? []).length === 0 && (current < 0 || (rem[i] ?? 0) > (rem[current] ?? 0))) current = i;
  while (current >= 0) {
    criticalPath.push(tasks[current]?.id as string);
    let next = -1;
    for (const c of dependents[current] ?? []) if (next < 0 || (rem[c] ?? 0) > (rem[next] ?? 0)) next = c;
    current = next;
  }
  const level: Record<string, number> = {};
  const remaining: Record<string, number> = {};
  const dependentIds: Record<string, string[]> = {};
  tasks.forEach((t, i) => {
    level[t.id] = levels[i] ?? 0;
    remaining[t.id] = rem[i] ?? 0;
    dependentIds[t.id] = (dependents[i] ?? []).map((c) => tasks[c]?.id as string);
  });
  const criticalPathMinutes = criticalPath.length > 0 ? (remaining[criticalPath[0] as string] ?? 0) : 0;
  const serial = tasks.reduce((s, t) => s + t.estimateMinutes, 0);
  const widths = waves.map((w) => w.length);
  return {
    plan: { ...plan, tasks },
    tasks: byId,
    order: order.map((i) => tasks[i]?.id as string),
    waves,
    criticalPath,
    criticalPathMinutes,
    level,
    remaining,
    dependents: dependentIds,
    parallelism: { widths, maxWidth: Math.max(0, ...widths), averageWidth: n / Math.max(waves.length, 1), idealSpeedup: criticalPathMinutes > 0 ? serial / criticalPathMinutes : 1 },
  };
}

/** Kahn's algorithm, stable in plan order; a leftover means a cycle, which is found and named. */
function topologicalOrder(plan: Plan, deps: readonly number[][]): number[] {
  const n = deps.length;
  const indegree = deps.map((d) => d.length);
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((ds, i) => { for (const d of ds) dependents[d]?.push(i); });
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    order.push(v);
    for (const c of dependents[v] ?? []) if (--indegree[c]! === 0) queue.push(c);
  }
  if (order.length === n) return order;
  throw new PlanCycleError(findCycle(deps, indegree).map((i) => plan.tasks[i]?.id as string));
}

/** A cycle among the tasks Kahn's algorithm could not order, as ids with the first repeated at the end. */
function findCycle(deps: readonly number[][], indegree: readonly number[]): number[] {
  const inCycleSet = (i: number): boolean => (indegree[i] ?? 0) > 0;
  const start = indegree.findIndex((d) => d > 0);
  // Walk dependencies that are themselves unordered until a task repeats.
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  let v = start;
  while (!seenAt.has(v)) {
    seenAt.set(v, walk.length);
    walk.push(v);
    v = (deps[v] ?? []).find(inCycleSet) as number;
  }
  const cycle = walk.slice(seenAt.get(v));
  // Show it in execution order: a -> b means b depends on a.
  cycle.reverse();
  return [...cycle, cycle[0] as number];
}

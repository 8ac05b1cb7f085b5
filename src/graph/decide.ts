/**
 * Which tasks to start now: a pure function of the tasks' states. `dag` starts any task whose dependencies
 * are merged; `waves` additionally waits until every task of the earlier waves has finished (the seed's
 * barrier). Among ready tasks, the longest remaining critical path goes first, then priority.
 */
import type { TaskStatus } from "../core/index.js";

export interface TaskState {
  id: string;
  status: TaskStatus;
  dependsOn: string[];
  priority: string;
}

export interface DecideInput {
  tasks: TaskState[];
  running: ReadonlySet<string>;
  freeSlots: number;
  policy: "dag" | "waves";
  /** Wave (longest-path level) of each task. */
  level: Record<string, number>;
  /** Longest remaining path (estimated minutes, including the task itself). */
  remaining: Record<string, number>;
}

const FINISHED: ReadonlySet<TaskStatus> = new Set(["merged", "failed", "skipped"]);

export function readyTasks(input: Omit<DecideInput, "freeSlots">): string[] {
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  let barrier = Number.POSITIVE_INFINITY;
  if (input.policy === "waves") {
    for (const t of input.tasks) if (!FINISHED.has(t.status)) barrier = Math.min(barrier, input.level[t.id] ?? 0);
  }
  return input.tasks
    // `completed` without a running worker: its session finished before a crash but it was not merged yet.
    .filter((t) => (t.status === "pending" || t.status === "completed") && !input.running.has(t.id))
    .filter((t) => t.dependsOn.every((d) => byId.get(d)?.status === "merged"))
    .filter((t) => input.policy === "dag" || (input.level[t.id] ?? 0) <= barrier)
    .map((t) => t.id);
}

export function orderByCriticalPath(ids: string[], tasks: TaskState[], remaining: Record<string, number>): string[] {
  const priority = new Map(tasks.map((t) => [t.id, t.priority]));
  return [...ids].sort(
    (a, b) =>
      (remaining[b] ?? 0) - (remaining[a] ?? 0) ||
      (priority.get(a) ?? "P3").localeCompare(priority.get(b) ?? "P3") ||
      a.localeCompare(b),
  );
}

export function decideStarts(input: DecideInput): string[] {
  if (input.freeSlots <= 0) return [];
  return orderByCriticalPath(readyTasks(input), input.tasks, input.remaining).slice(0, input.freeSlots);
}

/** Every task that (transitively) depends on `failedId` and has not finished. */
export function dependentsToSkip(failedId: string, tasks: TaskState[]): string[] {
  const dependents = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), t.id]);
  const status = new Map(tasks.map((t) => [t.id, t.status]));
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [...(dependents.get(failedId) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const s = status.get(id);
    if (s === "pending" || s === "skipped") {
      if (s === "pending") out.push(id);
      stack.push(...(dependents.get(id) ?? []));
    }
  }
  return out.sort();
}

/** The run's final status from its tasks. */
export function runOutcome(tasks: TaskState[]): "completed" | "partial" | "failed" {
  const merged = tasks.filter((t) => t.status === "merged").length;
  if (merged === tasks.length) return "completed";
  return merged === 0 ? "failed" : "partial";
}

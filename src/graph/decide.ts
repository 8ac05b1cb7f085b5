/**
 * Which tasks to start now: a pure function of the tasks' states. A task is ready when every dependency is
 * merged; among ready tasks the plan's scheduling policy (decomposition/schedule.ts, the same one the
 * forecast simulates) orders them — longest remaining critical path first, then priority — and, for `waves`,
 * holds back everything beyond the earliest unfinished wave (the seed's barrier).
 */
import type { TaskStatus } from "../core/index.js";
import { pickNext, waveBarrierReady, type ResolvedPlan } from "../decomposition/index.js";

export interface TaskState {
  id: string;
  status: TaskStatus;
  dependsOn: string[];
}

export interface DecideInput {
  tasks: TaskState[];
  running: ReadonlySet<string>;
  freeSlots: number;
  policy: "dag" | "waves";
  resolved: ResolvedPlan;
}

const FINISHED: ReadonlySet<TaskStatus> = new Set(["merged", "failed", "skipped"]);

/** Ready tasks in the order they should start. */
export function readyTasks(input: Omit<DecideInput, "freeSlots">): string[] {
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const ready = input.tasks
    // `completed` without a running worker: its session finished before a crash but it was not merged yet.
    .filter((t) => (t.status === "pending" || t.status === "completed") && !input.running.has(t.id))
    .filter((t) => t.dependsOn.every((d) => byId.get(d)?.status === "merged"))
    .map((t) => t.id);
  if (input.policy === "dag") return pickNext(ready, input.resolved);
  const finished = new Set(input.tasks.filter((t) => FINISHED.has(t.status)).map((t) => t.id));
  return waveBarrierReady(ready, finished, input.resolved);
}

export function decideStarts(input: DecideInput): string[] {
  if (input.freeSlots <= 0) return [];
  return readyTasks(input).slice(0, input.freeSlots);
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

/**
 * The scheduling policy, pure so that the dry-run forecast and the real scheduler make the same choices:
 * among ready tasks, start the one with the longest remaining critical path first, then the most urgent
 * priority, then by id (deterministic). `waves` reproduces the older barrier policy: a wave starts only when
 * the previous one has entirely finished.
 */
import type { ResolvedPlan } from "./dependency-resolver.js";

export type SchedulePolicy = "dag" | "waves";

/** Orders `a` before `b` when `a` should start first. */
export function compareTasks(resolved: ResolvedPlan, a: string, b: string): number {
  const byRemaining = (resolved.remaining[b] ?? 0) - (resolved.remaining[a] ?? 0);
  if (byRemaining !== 0) return byRemaining;
  const pa = resolved.tasks[a]?.priority ?? "P3";
  const pb = resolved.tasks[b]?.priority ?? "P3";
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ready tasks in the order they should start (take the first free-slot-many). */
export function pickNext(ready: readonly string[], resolved: ResolvedPlan): string[] {
  return [...ready].sort((a, b) => compareTasks(resolved, a, b));
}

/**
 * For the `waves` policy: the ready tasks allowed to start, i.e. those in the lowest wave that still has
 * unfinished tasks. `finished` holds every task in a final state (completed, failed, skipped…).
 */
export function waveBarrierReady(ready: readonly string[], finished: ReadonlySet<string>, resolved: ResolvedPlan): string[] {
  let current = Infinity;
  for (let w = 0; w < resolved.waves.length; w++) {
    if ((resolved.waves[w] ?? []).some((id) => !finished.has(id))) {
      current = w;
      break;
    }
  }
  return pickNext(ready.filter((id) => resolved.level[id] === current), resolved);
}

/** A binary heap; the scheduler's ready queue and event queue. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.before(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

export interface SimulatedSchedule {
  makespan: number;
  /** Start time of each task, in the durations' unit. */
  starts: Record<string, number>;
}

/**
 * Simulates running the plan with `sessions` at once, task durations from `durations` (falling back to each
 * task's estimateMinutes), under the given policy. Event-driven, O(n log n).
 */
export function simulateSchedule(resolved: ResolvedPlan, durations: Readonly<Record<string, number>>, sessions: number, policy: SchedulePolicy): SimulatedSchedule {
  const slots = Math.max(1, Math.floor(sessions));
  const ids = resolved.order;
  const duration = (id: string): number => durations[id] ?? resolved.tasks[id]?.estimateMinutes ?? 0;
  const waiting: Record<string, number> = {};
  for (const id of ids) waiting[id] = resolved.tasks[id]?.dependsOn.length ?? 0;
  const starts: Record<string, number> = {};
  const ready = new Heap<string>((a, b) => compareTasks(resolved, a, b) < 0);
  const running = new Heap<{ id: string; end: number }>((a, b) => a.end < b.end || (a.end === b.end && a.id < b.id));
  const waveLeft = resolved.waves.map((w) => w.length);
  let wave = 0;
  const held: string[] = [];
  const release = (id: string): void => {
    if (policy === "waves" && resolved.level[id] !== wave) held.push(id);
    else ready.push(id);
  };
  for (const id of ids) if (waiting[id] === 0) release(id);
  let now = 0;
  let done = 0;
  while (done < ids.length) {
    while (running.size < slots && ready.size > 0) {
      const id = ready.pop() as string;
      starts[id] = now;
      running.push({ id, end: now + duration(id) });
    }
    const next = running.pop();
    if (!next) break; // unreachable for a resolved (acyclic) plan
    now = next.end;
    const finished = [next];
    while (running.peek()?.end === now) finished.push(running.pop() as { id: string; end: number });
    for (const f of finished) {
      done++;
      const lvl = resolved.level[f.id] ?? 0;
      waveLeft[lvl] = (waveLeft[lvl] ?? 1) - 1;
      for (const c of resolved.dependents[f.id] ?? []) if (--waiting[c]! === 0) release(c);
    }
    if (policy === "waves") {
      while (wave < waveLeft.length && waveLeft[wave] === 0) wave++;
      for (let k = held.length - 1; k >= 0; k--) {
        const id = held[k] as string;
        if (resolved.level[id] === wave) {
          ready.push(id);
          held.splice(k, 1);
        }
      }
    }
  }
  return { makespan: now, starts };
}


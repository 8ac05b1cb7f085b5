/**
 * Conflict prediction. While sessions run: the files each running task touched (from tool-use events), and a
 * `conflict:predicted` event the first time two running tasks touch one file. At plan time: overlaps of the
 * tasks' expected files, and optional ordering edges that serialise colliding tasks.
 */
import type { EventBus, KappaEvents, Plan, PlannedTask } from "../core/index.js";

function normalisePath(file: string, worktree: string | undefined): string {
  let f = file.replace(/\\/g, "/");
  if (worktree && f.startsWith(`${worktree.replace(/\/$/, "")}/`)) f = f.slice(worktree.replace(/\/$/, "").length + 1);
  return f.replace(/^\.\//, "");
}

export class ConflictPredictor {
  private readonly running = new Map<string, { worktree: string | undefined; files: Set<string> }>();
  private readonly reported = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly bus: EventBus, private readonly runId: string) {}

  /** Follows the bus: task:started/completed/failed and session:output tool_use events. */
  attach(): this {
    this.unsubscribe.push(
      this.bus.on("task:started", (e) => e.runId === this.runId && this.taskStarted(e.taskId, e.worktree)),
      this.bus.on("task:completed", (e) => e.runId === this.runId && this.taskFinished(e.taskId)),
      this.bus.on("task:failed", (e) => e.runId === this.runId && this.taskFinished(e.taskId)),
      this.bus.on("session:output", (e) => this.observe(e)),
    );
    return this;
  }

  detach(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  taskStarted(taskId: string, worktree?: string): void {
    this.running.set(taskId, { worktree, files: new Set() });
  }

  taskFinished(taskId: string): void {
    this.running.delete(taskId);
  }

  observe(event: KappaEvents["session:output"]): void {
    if (event.kind !== "tool_use" || !event.files || event.files.length === 0) return;
    if (event.runId !== undefined && event.runId !== this.runId) return;
    const task = this.running.get(event.taskId);
    if (!task) return;
    for (const raw of event.files) {
      const file = normalisePath(raw, task.worktree);
      task.files.add(file);
      const others = [...this.running].filter(([id, t]) => id !== event.taskId && t.files.has(file)).map(([id]) => id);
      if (others.length === 0) continue;
      const taskIds = [...others, event.taskId].sort();
      const key = `${file}\u0000${taskIds.join(",")}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.bus.emit("conflict:predicted", { runId: this.runId, taskIds, file });
    }
  }

  /** Files each running task has touched so far. */
  touched(taskId: string): string[] {
    return [...(this.running.get(taskId)?.files ?? [])].sort();
  }
}

/** Transitive dependencies of every task. */
function ancestors(tasks: readonly PlannedTask[]): Map<string, Set<string>> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, stack: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const result = new Set<string>();
    if (stack.has(id)) return result;
    stack.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      result.add(dep);
      for (const a of visit(dep, stack)) result.add(a);
    }
    stack.delete(id);
    memo.set(id, result);
    return result;
  };
  for (const t of tasks) visit(t.id, new Set());
  return memo;
}

function sameFile(a: string, b: string): boolean {
  const na = a.replace(/^\.\//, "").replace(/\/+$/, "");
  const nb = b.replace(/^\.\//, "").replace(/\/+$/, "");
  return na === nb || nb.startsWith(`${na}/`) || na.startsWith(`${nb}/`);
}

/**
 * Files that two or more tasks which may run at the same time (neither depends on the other) expect to touch.
 * Sorted by file; task ids in plan order.
 */
export function predictOverlaps(tasks: readonly PlannedTask[]): { file: string; taskIds: string[] }[] {
  const anc = ancestors(tasks);
  const ordered = (a: string, b: string): boolean => Boolean(anc.get(a)?.has(b) || anc.get(b)?.has(a));
  const byFile = new Map<string, Set<string>>();
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const a = tasks[i] as PlannedTask;
      const b = tasks[j] as PlannedTask;
      if (ordered(a.id, b.id)) continue;
      for (const fa of a.files) {
        for (const fb of b.files) {
          if (!sameFile(fa, fb)) continue;
          const file = fa.length <= fb.length ? fa : fb;
          const set = byFile.get(file) ?? new Set<string>();
          set.add(a.id).add(b.id);
          byFile.set(file, set);
        }
      }
    }
  }
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  return [...byFile]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, ids]) => ({ file, taskIds: [...ids].sort((x, y) => (position.get(x) ?? 0) - (position.get(y) ?? 0)) }));
}

/**
 * A plan where each pair of tasks predicted to collide runs one after the other: the later task in plan order
 * depends on the earlier. Never creates a cycle (an edge that would is skipped); same input, same output.
 */
export function serializeOverlaps(plan: Plan): Plan {
  const tasks = plan.tasks.map((t) => ({ ...t, dependsOn: [...t.dependsOn] }));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(byId.get(id)?.dependsOn ?? []));
    }
    return false;
  };
  for (const { taskIds } of predictOverlaps(plan.tasks)) {
    for (let i = 0; i < taskIds.length; i++) {
      for (let j = i + 1; j < taskIds.length; j++) {
        const [earlier, later] = [taskIds[i] as string, taskIds[j] as string].sort((x, y) => (position.get(x) ?? 0) - (position.get(y) ?? 0)) as [string, string];
        if (reaches(later, earlier) || reaches(earlier, later)) continue;
        byId.get(later)?.dependsOn.push(earlier);
      }
    }
  }
  return { ...plan, tasks };
}

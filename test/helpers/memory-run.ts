/**
 * An in-memory world for unit tests of the execute loop: a task store and ports with no git, no database and
 * no timers. The integration branch is a list of merges that outlives a "process" (like git on disk); a
 * crash freezes the old process (every store and port call of it fails from then on) and a new one starts over
 * a copy of the rows as they were at that moment.
 */
import { EventBus, silentLogger, type KappaEvent, type Plan } from "../../src/core/index.js";
import { resolvePlan } from "../../src/decomposition/index.js";
import type { ExecuteDeps } from "../../src/graph/execute-loop.js";
import { MemoryTaskStore } from "../../src/graph/memory-task-store.js";
import { Mutex } from "../../src/graph/mutex.js";
import type { MergeResult, RunPorts, SessionOutcome } from "../../src/graph/ports.js";
import { RunControl } from "../../src/graph/run-control.js";
import type { TaskKey, TaskStore } from "../../src/graph/task-store.js";
import type { TaskRow } from "../../src/knowledge/index.js";

export interface SessionCall {
  taskId: string;
  attempt: number;
  continueConversation: boolean;
  signal: AbortSignal;
}

/** What a task's session does: by default it succeeds at once. */
export type SessionScript = (call: SessionCall) => Promise<SessionOutcome>;

export const ok: SessionOutcome = { ok: true, costUsd: 0, attempts: 1, filesChanged: [] };

export interface Merge {
  commit: string;
  taskId: string;
  attempt: number;
  previousHead: string;
}

/** What survives a crash: the integration branch and the worktrees on disk. */
export class Disk {
  readonly merges: Merge[] = [];
  readonly worktrees = new Set<string>();

  head(): string {
    return this.merges.at(-1)?.commit ?? "base";
  }
}

export class CrashedError extends Error {
  constructor() {
    super("the process died");
  }
}

export interface TaskSpec {
  id: string;
  dependsOn?: string[];
}

export function memoryPlan(specs: TaskSpec[]): Plan {
  return {
    version: 1,
    name: "memory",
    requirements: [],
    tasks: specs.map((s) => ({
      id: s.id, title: s.id, prompt: s.id, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1,
      dependsOn: s.dependsOn ?? [], files: [], acceptance: [], requirements: [],
    })),
  };
}

export function pendingRows(plan: Plan): TaskRow[] {
  return plan.tasks.map((t, position) => ({
    runId: "r1", id: t.id, position, title: t.title, prompt: t.prompt, category: t.category, complexity: 1, priority: t.priority,
    estimateMinutes: 1, files: [], acceptance: [], requirements: [], status: "pending", attempts: 0, reason: null,
    interruptedBy: null, branch: null, worktree: null, headCommit: null, mergeCommit: null, mergeStrategy: null, feedback: null,
    startedAt: null, finishedAt: null, durationMs: null, dependsOn: t.dependsOn,
  }));
}

/** One orchestrator process over the in-memory world. */
export class MemoryProcess {
  readonly store: MemoryTaskStore;
  readonly control = new RunControl();
  readonly bus = new EventBus();
  readonly events: KappaEvent[] = [];
  readonly sessions: SessionCall[] = [];
  readonly released: string[] = [];
  crashed = false;
  /** Called inside `merge` after the branch moved and before the result returns (e.g. to crash there). */
  afterMerge: ((taskId: string) => void) | undefined;

  constructor(
    readonly plan: Plan,
    readonly disk: Disk,
    rows: TaskRow[],
    readonly scripts: Record<string, SessionScript> = {},
  ) {
    this.store = new MemoryTaskStore(rows);
    this.bus.onAny((e) => this.events.push(e));
  }

  /** The process dies now: nothing it does from here on reaches the store or the disk. */
  crash(): void {
    this.crashed = true;
  }

  /** A new process after this one's crash (or stop), over the rows as they are now. */
  async next(scripts: Record<string, SessionScript> = this.scripts): Promise<MemoryProcess> {
    return new MemoryProcess(this.plan, this.disk, await this.store.list(), scripts);
  }

  eventsOf(type: KappaEvent["type"]): KappaEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  deps(): ExecuteDeps {
    return {
      runId: "r1",
      tasks: this.guardedStore(),
      ports: this.ports(),
      bus: this.bus,
      logger: silentLogger(),
      mergeMutex: new Mutex(),
      gateRetries: 0,
      policy: "dag",
      maxParallel: 4,
      resolved: resolvePlan(this.plan),
      control: this.control,
      pollMs: 3_600_000,
    };
  }

  private alive(): void {
    if (this.crashed) throw new CrashedError();
  }

  /** `fn`'s value as a promise, or a CrashedError once the process died. */
  private live<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.crashed ? Promise.reject(new CrashedError()) : Promise.resolve().then(fn);
  }

  private guardedStore(): TaskStore {
    const store = this.store;
    return {
      list: () => this.live(() => store.list()),
      transition: (name, key, args) => this.live(() => store.transition(name, key, args)),
      worktreeReleased: (key: TaskKey) => this.live(() => store.worktreeReleased(key)),
      markInterruptedSessions: () => this.live(() => store.markInterruptedSessions()),
    };
  }

  private ports(): RunPorts {
    const disk = this.disk;
    const findMerge = (taskId: string, head: string): MergeResult | undefined => {
      const i = disk.merges.findIndex((m) => m.taskId === taskId && m.commit.startsWith(`${head}+`));
      const m = disk.merges[i];
      return m && { status: "merged", commit: m.commit, previousHead: m.previousHead, strategy: "merge", settled: i < disk.merges.length - 1 };
    };
    return {
      integrationHead: () => this.live(() => disk.head()),
      prepareWorkspace: (task) =>
        this.live(() => {
          const dir = `/worktrees/${task.id}`;
          disk.worktrees.add(dir);
          return { dir, branch: `kappa/r1/${task.id}`, env: {} };
        }),
      runSession: (task, _workspace, options) =>
        this.live(async () => {
          const call = { taskId: task.id, attempt: task.attempts, continueConversation: options.continueConversation, signal: options.signal };
          this.sessions.push(call);
          const outcome = await (this.scripts[task.id] ?? (() => Promise.resolve(ok)))(call);
          this.alive();
          return outcome;
        }),
      commitWork: (task) => this.live(() => ({ commit: `${task.id}#${task.attempts}`, created: true, files: [`${task.id}.txt`] })),
      stopStrayProcesses: () => this.live(() => 0),
      releaseWorkspace: (dir) =>
        this.live(() => {
          disk.worktrees.delete(dir);
          this.released.push(dir);
        }),
      merge: (task, request) =>
        this.live((): MergeResult => {
          const earlier = request.afterCrash ? findMerge(task.id, request.head) : undefined;
          if (earlier) return earlier;
          const previousHead = disk.head();
          const commit = `${request.head}+${disk.merges.length + 1}`;
          disk.merges.push({ commit, taskId: task.id, attempt: task.attempts, previousHead });
          this.afterMerge?.(task.id);
          this.alive();
          return { status: "merged", commit, previousHead, strategy: "merge" };
        }),
      mergedFiles: () => this.live(() => []),
      resolvedConflicts: () => this.live(() => []),
      applyResolution: () => Promise.reject(new Error("no conflicts in the memory world")),
      gate: () => this.live(() => undefined),
      revertIntegration: () => this.live(() => undefined),
    };
  }
}

/** A promise with its resolve function outside, to release a waiting session exactly when a test says. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The scheduler loop of the `execute` node: start ready tasks (dependency-driven, critical path first) up to
 * the parallel limit, merge each as it finishes, skip the dependents of failed tasks, apply conflict
 * resolutions made meanwhile (also by another process). Progress lives in the tasks table, so re-running
 * this loop after a crash continues where the last one stopped.
 */
import { KappaError, sleep, type EventBus, type Logger } from "../core/index.js";
import type { ResolvedPlan } from "../decomposition/index.js";
import type { TaskRow } from "../knowledge/index.js";
import { checkoutChangeRecord } from "../workspace/index.js";
import { decideStarts, dependentsToSkip } from "./decide.js";
import type { RunControl } from "./run-control.js";
import { gateMerge, releaseWorkspace, runTask, settleMerge, type TaskRunnerDeps } from "./task-runner.js";

export interface ExecuteDeps extends TaskRunnerDeps {
  bus: EventBus;
  logger: Logger;
  policy: "dag" | "waves";
  maxParallel: number;
  /** The plan with its waves and critical-path ranks. */
  resolved: ResolvedPlan;
  control: RunControl;
  /** How often to look for resolutions made by other processes. @default 1000 */
  pollMs?: number;
}

/** Thrown when a run stops before it finished (Ctrl-C, cancel): the graph keeps `execute` as its next step. */
export class RunStoppedError extends KappaError {
  override readonly name = "RunStoppedError";
  constructor(runId: string, reason: string) {
    super("RUN_STATE", `run ${runId} stopped: ${reason}`, { hint: `continue it with \`kappa resume ${runId}\`` }, 1);
  }
}

export async function executeTasks(deps: ExecuteDeps): Promise<"done" | "waiting"> {
  const { runId, tasks, control } = deps;
  await recoverInterrupted(deps);
  const running = new Map<string, Promise<void>>();
  let wake: (() => void) | undefined;
  const settle = (): void => wake?.();
  const guard = checkoutGuard(deps);

  for (;;) {
    let current = await tasks.list();
    if (!control.stopping && (await applyResolutions(deps, current))) current = await tasks.list();
    const starts = control.stopping
      ? []
      : decideStarts({
          tasks: current,
          running: new Set(running.keys()),
          freeSlots: deps.maxParallel - running.size,
          policy: deps.policy,
          resolved: deps.resolved,
        });
    for (const id of starts) {
      const task = current.find((t) => t.id === id) as TaskRow;
      const promise = runTask(deps, task, deps.resolved.remaining[id] ?? 0, control.signal)
        .then(async (result) => {
          if (result === "failed") await skipDependents(deps, id);
          await guard();
        })
        // Only when recording the task's own failure failed (the database is gone): the task stays as it was.
        .catch((error: unknown) => deps.logger.debug({ err: error, taskId: id }, "could not record the task's outcome"))
        .finally(() => {
          running.delete(id);
          settle();
        });
      running.set(id, promise);
    }
    if (running.size === 0) {
      if (!control.stopping) await guard(true);
      if (control.stopping) throw new RunStoppedError(runId, control.reason ?? "stopped");
      // Nothing runs and nothing could start with every slot free: the run has done what it can.
      return current.some((t) => t.status === "waiting") ? "waiting" : "done";
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      // Once aborted, only a finishing task can change anything: wait for one instead of polling.
      if (!control.signal.aborted) void sleep(deps.pollMs ?? 1000, control.signal).then(resolve, resolve);
    });
    wake = undefined;
  }
}

/**
 * After every merge and at the end: when something other than kappa changed the user's checkout (or moved the
 * integration branch), say what, and stop starting tasks; the run then ends stopped (exit 1). Reported once.
 */
function checkoutGuard(deps: ExecuteDeps): (final?: boolean) => Promise<void> {
  let reported = false;
  return async (final = false) => {
    if (reported || !deps.ports.checkCheckout) return;
    const check = deps.ports.checkCheckout.bind(deps.ports);
    // After a task, the user's checkout only: it is off the merges' serial path (every merge checks the
    // integration branch itself before it starts). At the end, nothing merges any more, and the integration
    // branch is compared too.
    let changes;
    try {
      changes = await check(AbortSignal.timeout(60_000), { integrationBranch: final });
    } catch (error) {
      // Not being able to look (git failed) must not fail the task that just merged.
      deps.logger.warn({ err: error }, "could not compare the checkout with its state at the start of the run");
      return;
    }
    if (changes.length === 0 || reported) return;
    reported = true;
    const described = changes.map(checkoutChangeRecord);
    deps.bus.emit("checkout:changed", { runId: deps.runId, changes: described });
    deps.control.stop(`your checkout changed during the run and kappa never does that, so a session or another program did: ${described.map((c) => c.message).join("; ")}. No new task was started; check \`git status\` and \`git reflog\``);
  };
}

/**
 * After a crash: a task left `running` by a process that died restarts (its worktree and commits are reused,
 * agent processes still running there from before the crash are stopped first), and the worktree of a task
 * merged just before the crash, which that process had no time to remove, is released.
 */
async function recoverInterrupted(deps: ExecuteDeps): Promise<void> {
  // Sessions of a process that died never finished: say so instead of leaving them "running" for ever.
  await deps.tasks.markInterruptedSessions();
  for (const t of await deps.tasks.list()) {
    if (t.status === "running") {
      const stopped = t.worktree ? await deps.ports.stopStrayProcesses(t.worktree) : 0;
      if (stopped > 0) deps.logger.info({ taskId: t.id, processes: stopped }, "stopped agent processes left running by the crashed orchestrator");
      await deps.tasks.transition("interrupt", t, { cause: "crash", reason: "interrupted by a crash; restarting" });
    } else if (t.status === "merged" && t.worktree) {
      await releaseWorkspace(deps, t);
    }
  }
}

async function skipDependents(deps: ExecuteDeps, failedId: string): Promise<void> {
  const tasks = await deps.tasks.list();
  for (const id of dependentsToSkip(failedId, tasks)) {
    const task = tasks.find((t) => t.id === id) as TaskRow;
    const reason = `depends on ${failedId}, which failed`;
    await deps.tasks.transition("skip", task, { reason });
    deps.bus.emit("task:skipped", { runId: deps.runId, taskId: id, reason });
  }
}

/**
 * Applies conflict resolutions stored by `kappa resolve` (from any process) to waiting tasks. Returns whether
 * any was applied (the tasks' states changed).
 */
async function applyResolutions(deps: ExecuteDeps, tasks: TaskRow[]): Promise<boolean> {
  if (!tasks.some((t) => t.status === "waiting")) return false;
  let applied = false;
  const resolved = await deps.ports.resolvedConflicts();
  for (const { conflictId, taskId } of resolved) {
    const task = tasks.find((t) => t.id === taskId);
    if (!task || task.status !== "waiting") continue;
    applied = true;
    const merged = await deps.mergeMutex.run(async () => gateMerge(deps, await deps.ports.applyResolution(conflictId, deps.control.signal), deps.control.signal));
    if (merged.result.status === "merged") deps.bus.emit("conflict:resolved", { runId: deps.runId, taskId, conflictId, strategy: merged.result.strategy });
    const outcome = await settleMerge(deps, task, merged, deps.control.signal);
    if (outcome === "failed") await skipDependents(deps, taskId);
    if (outcome === "merged") await releaseWorkspace(deps, task);
  }
  return applied;
}

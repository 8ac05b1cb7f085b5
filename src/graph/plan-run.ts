/**
 * What a new run builds: the repository checked (it needs a commit to branch from), the plan taken from a plan
 * file or made from a spec, tasks predicted to edit the same files warned about or ordered, uncommitted changes
 * pointed out, and the plan validated. Nothing is written: the caller records the run with create-run.ts.
 */
import { InputError, type EventBus, type KappaConfig, type Plan } from "../core/index.js";
import { predictOverlaps, serializeOverlaps } from "../conflict/index.js";
import { planSpec, resolvePlan, type ResolvedPlan, type RunStructured } from "../decomposition/index.js";
import { gitText } from "../workspace/index.js";

export interface PlanRunOptions {
  repo: string;
  runId: string;
  config: KappaConfig;
  bus: EventBus;
  /** A plan loaded from a file (exactly one of `plan` and `specText`). */
  plan?: Plan | undefined;
  specText?: string | undefined;
  specPath?: string | undefined;
  /** Claude through the Agent SDK's structured output, when available. */
  runStructured?: RunStructured | undefined;
  serializeOverlaps?: boolean | undefined;
  signal: AbortSignal;
}

export interface PlannedRun {
  plan: Plan;
  resolved: ResolvedPlan;
  /** Who made the plan: `file`, `heuristic` or `claude`. */
  planner: string;
}

/** A run branches from the current commit: refused, before anything starts, when there is none. */
export async function assertRepositoryHasCommit(repo: string): Promise<void> {
  await gitText(["rev-parse", "--verify", "HEAD^{commit}"], { cwd: repo }).catch(() => {
    throw new InputError(`the repository ${repo} has no commit yet`, { hint: "commit once (kappa branches from your current commit), then run again" });
  });
}

/** The plan of a new run (call assertRepositoryHasCommit first, before starting anything the planner uses). */
export async function planRun(o: PlanRunOptions): Promise<PlannedRun> {
  const { repo, runId, bus } = o;
  let plan: Plan;
  let planner = "file";
  if (o.plan) plan = o.plan;
  else {
    const planned = await planSpec({
      specText: o.specText ?? "",
      specPath: o.specPath,
      planner: o.config.planner,
      claudeAvailable: o.runStructured !== undefined,
      runStructured: o.runStructured,
      signal: o.signal,
      onWarning: (message) => bus.emit("plan:warning", { runId, message }),
    });
    plan = planned.plan;
    planner = planned.planner;
  }
  if (o.serializeOverlaps) plan = serializeOverlaps(plan);
  else warnOverlaps(bus, runId, plan);
  const dirty = (await gitText(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude).kappa"], { cwd: repo })).split("\n").filter(Boolean);
  if (dirty.length > 0) {
    bus.emit("plan:warning", { runId, message: `${dirty.length} file(s) have uncommitted changes; the run starts from your last commit and does not see them (commit first to include them)` });
  }
  const resolved = resolvePlan(plan); // validates before anything is written
  bus.emit("plan:ready", { runId, tasks: plan.tasks.length, waves: resolved.waves.length, planner });
  return { plan, resolved, planner };
}

/** Tasks that may run at the same time and expect to change the same file: say so before the run. */
function warnOverlaps(bus: EventBus, runId: string, plan: Plan): void {
  const overlaps = predictOverlaps(plan.tasks);
  for (const o of overlaps.slice(0, 5)) {
    bus.emit("plan:warning", { runId, message: `${o.taskIds.join(", ")} may run at the same time and all expect to change ${o.file}; kappa merges them, or use --serialize-overlaps to order them` });
  }
  if (overlaps.length > 5) bus.emit("plan:warning", { runId, message: `${overlaps.length - 5} more files are expected to be changed by parallel tasks` });
}

/**
 * Choosing a planner. `auto` uses Claude when it is available; whenever Claude's plan cannot be used the
 * heuristic planner takes over and the user is told why (a plan is always produced for a plannable spec).
 */
import { UsageError, throwIfAborted, type Plan } from "../core/index.js";
import { resolvePlan, type ResolvedPlan } from "./dependency-resolver.js";
import { heuristicPlanDetailed } from "./heuristic-planner.js";
import { claudePlan, type RunStructured } from "./planner-claude.js";

export type PlannerChoice = "heuristic" | "claude" | "auto";

export interface PlanSpecOptions {
  specText: string;
  specPath?: string;
  name?: string;
  planner: PlannerChoice;
  /** An API key or the simulated model is configured. */
  claudeAvailable: boolean;
  runStructured?: RunStructured;
  signal: AbortSignal;
  onWarning: (message: string) => void;
}

export interface PlannedSpec {
  plan: Plan;
  resolved: ResolvedPlan;
  planner: "heuristic" | "claude";
}

function heuristic(options: PlanSpecOptions): PlannedSpec {
  const detailed = heuristicPlanDetailed(options.specText, { name: options.name, specPath: options.specPath });
  for (const w of detailed.warnings) options.onWarning(w);
  return { plan: detailed.plan, resolved: resolvePlan(detailed.plan), planner: "heuristic" };
}

export async function planSpec(options: PlanSpecOptions): Promise<PlannedSpec> {
  throwIfAborted(options.signal);
  if (options.planner === "heuristic" || (options.planner === "auto" && !options.claudeAvailable)) return heuristic(options);
  if (!options.claudeAvailable) {
    throw new UsageError("the Claude planner needs ANTHROPIC_API_KEY or --simulate", { hint: "export ANTHROPIC_API_KEY=…, add --simulate, or use --planner heuristic" });
  }
  if (!options.runStructured) {
    options.onWarning("the Claude planner is not available in this build; using the heuristic planner");
    return heuristic(options);
  }
  try {
    const plan = await claudePlan(options.specText, { runStructured: options.runStructured, signal: options.signal, name: options.name, specPath: options.specPath, onWarning: options.onWarning });
    return { plan, resolved: resolvePlan(plan), planner: "claude" };
  } catch (error) {
    if (options.signal.aborted) throw error;
    options.onWarning(`${(error as Error).message}; using the heuristic planner instead`);
    return heuristic(options);
  }
}

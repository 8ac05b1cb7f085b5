/**
 * The offline planner: parse, generate tasks, resolve. Deterministic, no network, milliseconds per spec.
 */
import { createHash } from "node:crypto";
import { PlanError, type Plan } from "../core/index.js";
import { resolvePlan, type ResolvedPlan } from "./dependency-resolver.js";
import { strongestPriority } from "./priority.js";
import { parseSpec, type ParsedSpec } from "./parser.js";
import { generateTasks } from "./task-generator.js";

export interface HeuristicPlanOptions {
  name?: string;
  specPath?: string;
}

export interface DetailedPlan {
  plan: Plan;
  spec: ParsedSpec;
  warnings: string[];
}

export function heuristicPlanDetailed(specText: string, options: HeuristicPlanOptions = {}): DetailedPlan {
  const spec = parseSpec(specText);
  if (spec.requirements.length === 0) {
    throw new PlanError("the spec contains no requirements kappa can plan", {
      hint: "list what to build as bullet points under headings (e.g. '## Commands' then '- `tool add` adds an item'), or use sentences with MUST/SHOULD",
    });
  }
  const name = options.name ?? spec.title ?? "plan";
  const { tasks, warnings } = generateTasks(spec, name);
  const source: NonNullable<Plan["source"]> = { sha256: createHash("sha256").update(specText).digest("hex"), planner: "heuristic" };
  if (options.specPath !== undefined) source.spec = options.specPath;
  const draft: Plan = {
    version: 1,
    name: name.slice(0, 80),
    source,
    requirements: spec.requirements.map((r) => ({ id: r.id, text: r.text.length > 0 ? r.text : r.id, priority: r.priority })),
    tasks,
  };
  return { plan: inheritPriorities(resolvePlan(draft)), spec, warnings };
}

/** A task that a P0 task waits for is itself P0: urgency flows upstream. */
function inheritPriorities(resolved: ResolvedPlan): Plan {
  const priority = new Map(resolved.plan.tasks.map((t) => [t.id, t.priority]));
  for (let k = resolved.order.length - 1; k >= 0; k--) {
    const id = resolved.order[k] as string;
    const own = priority.get(id) ?? "P3";
    const downstream = (resolved.dependents[id] ?? []).map((d) => priority.get(d) ?? "P3");
    priority.set(id, strongestPriority([own, ...downstream]));
  }
  return { ...resolved.plan, tasks: resolved.plan.tasks.map((t) => ({ ...t, priority: priority.get(t.id) ?? t.priority })) };
}

/** Plans a specification offline. Throws PlanError when the spec holds nothing to plan. */
export function heuristicPlan(specText: string, options: HeuristicPlanOptions = {}): Plan {
  return heuristicPlanDetailed(specText, options).plan;
}

/**
 * Checks the Claude planner's answer the way a hand-written plan is checked, but collects every problem instead
 * of stopping at the first, so that the planner can be asked once more with the whole list (pure).
 */
import { planSchema, type Plan, type RequirementSummary } from "../core/index.js";
import { planIssues, resolvePlan } from "./dependency-resolver.js";
import { minutesOf } from "./sizing.js";

export interface AnswerCheck {
  /** The plan, when the answer has no problems. */
  plan: Plan | undefined;
  /** What is wrong, one sentence each, in the order found. */
  problems: string[];
}

const MAX_LISTED = 12;

function listed(ids: readonly string[]): string {
  return ids.length <= MAX_LISTED ? ids.join(", ") : `${ids.slice(0, MAX_LISTED).join(", ")} and ${ids.length - MAX_LISTED} more`;
}

export function checkClaudeAnswer(answer: unknown, base: { name: string; source: NonNullable<Plan["source"]>; requirements: RequirementSummary[] }): AnswerCheck {
  const tasks = (answer as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return { plan: undefined, problems: ["the answer has no task list (expected an object with a \"tasks\" array)"] };
  const withEstimates = tasks.map((t: unknown) => {
    if (t === null || typeof t !== "object") return t;
    const task = t as Record<string, unknown>;
    return task.estimateMinutes === undefined && typeof task.complexity === "number" ? { ...task, estimateMinutes: minutesOf(task.complexity) } : task;
  });
  const parsed = planSchema.safeParse({ version: 1, name: base.name, source: base.source, requirements: base.requirements, tasks: withEstimates });
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, MAX_LISTED).map((i) => `${i.path.join(".")}: ${i.message}`);
    if (parsed.error.issues.length > MAX_LISTED) problems.push(`and ${parsed.error.issues.length - MAX_LISTED} more schema problems`);
    return { plan: undefined, problems: problems.map((p) => `not a valid plan: ${p}`) };
  }
  const plan = parsed.data;
  const problems = planIssues(plan).map((i) => i.message);
  if (problems.length === 0) {
    try {
      resolvePlan(plan);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const known = new Set(base.requirements.map((r) => r.id));
  const traced = new Set(plan.tasks.flatMap((t) => t.requirements));
  const unknown = [...traced].filter((id) => known.size > 0 && !known.has(id));
  if (unknown.length > 0) problems.push(`tasks are traced to unknown requirements: ${listed(unknown)}`);
  const missing = base.requirements.filter((r) => !traced.has(r.id)).map((r) => r.id);
  if (missing.length > 0) problems.push(`requirements without a task: ${listed(missing)}`);
  return { plan: problems.length === 0 ? plan : undefined, problems };
}

/** The planner prompt again, with what was wrong with the last answer. */
export function buildRepairPrompt(prompt: string, problems: readonly string[]): string {
  return `${prompt}

Your previous answer could not be used. Problems found in it:
${problems.map((p) => `- ${p}`).join("\n")}

Answer again with the complete plan, fixing every one of these problems: safe unique task ids, dependencies only on tasks of the plan, no dependency cycle, and every requirement id traced to at least one task.`;
}

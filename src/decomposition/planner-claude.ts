/**
 * Decomposition by Claude through structured output. The caller supplies `runStructured` (the Agent SDK with a
 * JSON schema); this module builds the prompt and schema and refuses any answer that does not survive the same
 * validation as a hand-written plan: schema, safe unique ids, known dependencies, no cycle, and every MUST
 * requirement traced to a task.
 */
import { createHash } from "node:crypto";
import { AbortError, KappaError, planSchema, PRIORITIES, TASK_CATEGORIES, TASK_ID_RULE, type Plan } from "../core/index.js";
import { resolvePlan } from "./dependency-resolver.js";
import { parseSpec } from "./parser.js";
import { minutesOf } from "./sizing.js";

export type RunStructured = (prompt: string, jsonSchema: object, signal: AbortSignal) => Promise<unknown>;

/** Claude's answer could not be used (the caller falls back to the heuristic planner). */
export class PlannerError extends KappaError {
  override readonly name = "PlannerError";
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("PLAN_INVALID", message, { hint: options.hint ?? "use --planner heuristic, or retry", cause: options.cause }, 1);
  }
}

const TASK_PROPERTIES = {
  id: { type: "string", description: `task id: ${TASK_ID_RULE}` },
  title: { type: "string" },
  prompt: { type: "string", description: "complete instructions for the coding session: what to build, acceptance criteria, files" },
  category: { type: "string", enum: [...TASK_CATEGORIES] },
  complexity: { type: "integer", minimum: 1, maximum: 5 },
  priority: { type: "string", enum: [...PRIORITIES] },
  estimateMinutes: { type: "number" },
  dependsOn: { type: "array", items: { type: "string" } },
  files: { type: "array", items: { type: "string" } },
  acceptance: { type: "array", items: { type: "string" } },
  requirements: { type: "array", items: { type: "string" } },
} as const;

/** The JSON schema Claude's answer must follow. */
export const CLAUDE_PLAN_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["tasks"],
  properties: {
    tasks: {
      type: "array",
      minItems: 1,
      items: { type: "object", additionalProperties: false, required: ["id", "title", "prompt", "category", "complexity", "priority", "dependsOn", "files", "acceptance", "requirements"], properties: TASK_PROPERTIES },
    },
  },
} as const;

export function buildPlannerPrompt(specText: string, requirements: readonly { id: string; text: string; priority: string }[]): string {
  const list = requirements.map((r) => `- ${r.id} [${r.priority}] ${r.text}`).join("\n");
  return `Decompose the specification below into tasks for parallel coding sessions. Each task runs in its own Claude Code session in its own git worktree; finished tasks are merged into one branch.

Rules:
- Tasks of 5 to 45 minutes of agent work (complexity 1-5). Split anything larger; group tiny related items.
- Start with one setup task (project scaffold) that every other task depends on.
- dependsOn lists the tasks whose code a task needs (a data model before code that uses it, tests after what they test). Do not add dependencies that are not needed: independent tasks run at the same time.
- Task ids: ${TASK_ID_RULE}; unique.
- Each task's prompt must be self-contained: what to build, its acceptance criteria, the files it will likely touch.
- Trace every task to the requirement ids it satisfies; every P0 requirement must be covered by at least one task.
- files: the files the task will likely create or change. Avoid two independent tasks owning the same file.

${list.length > 0 ? `Requirements found in the specification:\n${list}\n\n` : ""}Specification:
<<<SPEC
${specText}
SPEC>>>`;
}

export interface ClaudePlanOptions {
  runStructured: RunStructured;
  signal: AbortSignal;
  name?: string;
  specPath?: string;
}

export async function claudePlan(specText: string, options: ClaudePlanOptions): Promise<Plan> {
  const spec = parseSpec(specText);
  const requirements = spec.requirements.map((r) => ({ id: r.id, text: r.text, priority: r.priority }));
  let answer: unknown;
  try {
    answer = await options.runStructured(buildPlannerPrompt(specText, requirements), CLAUDE_PLAN_SCHEMA, options.signal);
  } catch (error) {
    if (options.signal.aborted) throw new AbortError("planning was cancelled", { cause: error });
    throw new PlannerError(`the Claude planner failed: ${(error as Error).message}`, { cause: error });
  }
  const tasks = (answer as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) throw new PlannerError("the Claude planner's answer has no task list");
  const withEstimates = tasks.map((t: unknown) => {
    if (t === null || typeof t !== "object") return t;
    const task = t as Record<string, unknown>;
    return task.estimateMinutes === undefined && typeof task.complexity === "number" ? { ...task, estimateMinutes: minutesOf(task.complexity) } : task;
  });
  const source: NonNullable<Plan["source"]> = { sha256: createHash("sha256").update(specText).digest("hex"), planner: "claude" };
  if (options.specPath !== undefined) source.spec = options.specPath;
  const parsed = planSchema.safeParse({ version: 1, name: (options.name ?? spec.title ?? "plan").slice(0, 80), source, requirements, tasks: withEstimates });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlannerError(`the Claude planner's answer is not a valid plan: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim());
  }
  try {
    resolvePlan(parsed.data);
  } catch (error) {
    throw new PlannerError(`the Claude planner's answer is not a usable plan: ${(error as Error).message}`, { cause: error });
  }
  const known = new Set(requirements.map((r) => r.id));
  const traced = new Set(parsed.data.tasks.flatMap((t) => t.requirements));
  const unknown = [...traced].filter((id) => known.size > 0 && !known.has(id));
  if (unknown.length > 0) throw new PlannerError(`the Claude planner traced tasks to unknown requirements: ${unknown.slice(0, 5).join(", ")}`);
  const missing = requirements.filter((r) => r.priority === "P0" && !traced.has(r.id)).map((r) => r.id);
  if (missing.length > 0) throw new PlannerError(`the Claude planner left MUST requirements without a task: ${missing.slice(0, 8).join(", ")}`);
  return parsed.data;
}

/**
 * A plan in the shape of Claude's structured answer ({@link CLAUDE_PLAN_SCHEMA}). The simulated model answers
 * the planner with this, so that offline runs go through the same path as real ones.
 */
export function planAsClaudeAnswer(plan: Plan): { tasks: Plan["tasks"] } {
  return { tasks: plan.tasks };
}

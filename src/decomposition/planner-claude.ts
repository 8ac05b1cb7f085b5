/**
 * Decomposition by Claude through structured output. The caller supplies `runStructured` (the Agent SDK with a
 * JSON schema); this module builds the prompt and schema and refuses any answer that does not survive the same
 * validation as a hand-written plan: schema, safe unique ids, known dependencies, no cycle, and every requirement
 * traced to a task. An answer with problems is sent back once with the problems listed.
 */
import { createHash } from "node:crypto";
import { AbortError, KappaError, PRIORITIES, TASK_CATEGORIES, TASK_ID_RULE, type Plan } from "../core/index.js";
import { buildRepairPrompt, checkClaudeAnswer } from "./claude-answer.js";
import { parseSpec } from "./parser.js";

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
- Trace every task to the requirement ids it satisfies; every requirement id must be covered by at least one task.
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
  /** Told when the first answer had problems and the planner is asked once more. */
  onWarning?: (message: string) => void;
}

/**
 * Asks Claude for a plan; an answer with problems is sent back once with the problems listed. A second unusable
 * answer is a PlannerError naming its problems (the caller falls back to the heuristic planner).
 */
export async function claudePlan(specText: string, options: ClaudePlanOptions): Promise<Plan> {
  const spec = parseSpec(specText);
  const requirements = spec.requirements.map((r) => ({ id: r.id, text: r.text.length > 0 ? r.text : r.id, priority: r.priority }));
  const source: NonNullable<Plan["source"]> = { sha256: createHash("sha256").update(specText).digest("hex"), planner: "claude" };
  if (options.specPath !== undefined) source.spec = options.specPath;
  const base = { name: (options.name ?? spec.title ?? "plan").slice(0, 80), source, requirements };
  const ask = async (prompt: string): Promise<unknown> => {
    try {
      return await options.runStructured(prompt, CLAUDE_PLAN_SCHEMA, options.signal);
    } catch (error) {
      if (options.signal.aborted) throw new AbortError("planning was cancelled", { cause: error });
      throw new PlannerError(`the Claude planner failed: ${(error as Error).message}`, { cause: error });
    }
  };
  const prompt = buildPlannerPrompt(specText, requirements);
  const first = checkClaudeAnswer(await ask(prompt), base);
  if (first.plan) return first.plan;
  options.onWarning?.(`the Claude planner's answer had ${first.problems.length} problem(s) (${first.problems.slice(0, 3).join("; ")}); asking once more`);
  const second = checkClaudeAnswer(await ask(buildRepairPrompt(prompt, first.problems)), base);
  if (second.plan) return second.plan;
  throw new PlannerError(`the Claude planner's answer is not a valid plan, even after one repair request: ${second.problems.slice(0, 5).join("; ")}${second.problems.length > 5 ? ` (and ${second.problems.length - 5} more)` : ""}`);
}

/**
 * A plan in the shape of Claude's structured answer ({@link CLAUDE_PLAN_SCHEMA}). The simulated model answers
 * the planner with this, so that offline runs go through the same path as real ones.
 */
export function planAsClaudeAnswer(plan: Plan): { tasks: Plan["tasks"] } {
  return { tasks: plan.tasks };
}

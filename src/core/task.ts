/**
 * The shape of a planned task and of a plan, shared by decomposition (which makes them), sessions (which run
 * them) and the graph (which schedules them). Plain data, validated with zod wherever it enters kappa.
 */
import { z } from "zod";

/** A task id is used as a git branch component and a directory name: keep it boring. */
export const TASK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const TASK_ID_RULE =
  "lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters";

/**
 * Task ids that cannot be used: a task's branch is `kappa/<run>/<task id>`, and `kappa/<run>/main` is the
 * run's integration branch.
 */
export const RESERVED_TASK_IDS: readonly string[] = ["main"];

export const TASK_CATEGORIES = [
  "setup",
  "data-model",
  "api",
  "ui",
  "cli",
  "logic",
  "test",
  "docs",
  "infra",
] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

export const PRIORITIES = ["P0", "P1", "P2", "P3"] as const;
/** P0 = must / critical … P3 = may / nice to have. */
export type Priority = (typeof PRIORITIES)[number];

export const taskIdSchema = z
  .string()
  .regex(TASK_ID_PATTERN, { message: `task id must be ${TASK_ID_RULE}` });

export const plannedTaskSchema = z.strictObject({
  id: taskIdSchema,
  title: z.string().min(1).max(200),
  /** The instructions handed to the session. */
  prompt: z.string().min(1),
  category: z.enum(TASK_CATEGORIES),
  /** 1 (trivial) … 5 (large). */
  complexity: z.number().int().min(1).max(5),
  priority: z.enum(PRIORITIES),
  /** Estimated minutes of agent work. */
  estimateMinutes: z.number().positive(),
  dependsOn: z.array(taskIdSchema).default([]),
  /** Files the task is expected to own or touch (forecast, used for conflict prediction). */
  files: z.array(z.string().min(1)).default([]),
  acceptance: z.array(z.string().min(1)).default([]),
  /** Requirement ids this task satisfies. */
  requirements: z.array(z.string()).default([]),
});
export type PlannedTask = z.infer<typeof plannedTaskSchema>;

export const requirementSummarySchema = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  priority: z.enum(PRIORITIES),
});
export type RequirementSummary = z.infer<typeof requirementSummarySchema>;

export const planSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).default("plan"),
  /** Where the plan came from (spec path and content hash), informational. */
  source: z.strictObject({ spec: z.string().optional(), sha256: z.string().optional(), planner: z.string().optional() }).optional(),
  requirements: z.array(requirementSummarySchema).default([]),
  tasks: z.array(plannedTaskSchema).min(1, { message: "a plan needs at least one task" }),
});
export type Plan = z.infer<typeof planSchema>;

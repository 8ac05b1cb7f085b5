/** Decomposition: specification → requirements → tasks → dependency graph, schedule policy and forecast. */
export { readSpecFile } from "./read-spec.js";
export { parseSpec, type ParsedSpec, type Requirement } from "./parser.js";
export type { Entity, EntityKind } from "./entities.js";
export { heuristicPlan, heuristicPlanDetailed, type HeuristicPlanOptions, type DetailedPlan } from "./heuristic-planner.js";
export { resolvePlan, planIssues, PlanIssueError, type ResolvedPlan, type ParallelismProfile, type PlanIssue } from "./dependency-resolver.js";
export { pickNext, waveBarrierReady, simulateSchedule, compareTasks, type SchedulePolicy, type SimulatedSchedule } from "./schedule.js";
export { forecast, type Forecast } from "./forecast.js";
export { loadPlanFile, parsePlanYaml, planToYaml } from "./plan-file.js";
export { renderPlanTable, renderMermaid, renderForecast, planToJson } from "./render.js";
export { claudePlan, buildPlannerPrompt, planAsClaudeAnswer, CLAUDE_PLAN_SCHEMA, PlannerError, type RunStructured, type ClaudePlanOptions } from "./planner-claude.js";
export { planSpec, type PlanSpecOptions, type PlannedSpec, type PlannerChoice } from "./plan-spec.js";
export { slugify } from "./names.js";

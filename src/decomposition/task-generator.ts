/**
 * Parsed spec → planned tasks with inferred dependencies. Pure: the same spec gives the same tasks.
 */
import { strongestPriority } from "./priority.js";
import type { PlannedTask, Priority } from "../core/index.js";
import { inferDependencies } from "./dependency-inference.js";
import { forecastFiles } from "./file-forecast.js";
import { IdAllocator } from "./names.js";
import { pathKey, type ParsedSpec } from "./parser.js";
import { complexityOf, minutesOf } from "./sizing.js";
import { buildPrompt, guidanceFor } from "./task-prompt.js";
import { buildUnits, type Unit } from "./task-units.js";

export interface GeneratedTasks {
  tasks: PlannedTask[];
  /** Things a user should know about the plan (e.g. a dependency dropped because it closed a cycle). */
  warnings: string[];
}

function sectionCriteria(spec: ParsedSpec, unit: Unit): string[] {
  const out: string[] = [];
  for (let n = 1; n <= unit.section.length; n++) out.push(...(spec.sectionAcceptance.get(pathKey(unit.section.slice(0, n))) ?? []));
  return out;
}

/** Adds an acceptance-test task when the spec asks for none, so that the features are checked together. */
function withAcceptanceUnit(units: Unit[]): Unit[] {
  const code = units.filter((u) => u.kind === "feature" || u.kind === "foundation");
  if (units.some((u) => u.kind === "test") || code.length < 2) return units;
  return [...units, { kind: "test", category: "test", title: "End-to-end acceptance tests", idBase: "test-end-to-end", section: [], requirements: [], keys: [], weight: 2 }];
}

export function generateTasks(spec: ParsedSpec, projectName: string): GeneratedTasks {
  const units = withAcceptanceUnit(buildUnits(spec));
  const ids = new IdAllocator();
  const unitIds = units.map((u) => ids.take(u.idBase));
  const { deps, dropped } = inferDependencies(units, spec.sectionProse);
  const warnings = dropped.map(({ from, to }) => `ignored the dependency of ${unitIds[from] ?? "?"} on ${unitIds[to] ?? "?"}: it would close a cycle`);
  const files = units.map((u) => forecastFiles(u, spec));
  const tasks = units.map((unit, i): PlannedTask => {
    const id = unitIds[i] as string;
    const acceptance = [...new Set([
      ...unit.requirements.flatMap((r) => {
        const own = unit.criteria ?? r.acceptance;
        return own.length > 0 && r.role !== "data-model" ? own : [r.text];
      }),
      ...(unit.kind === "model" ? unit.requirements.flatMap((r) => r.acceptance.map((f) => `field ${f}`)) : []),
      ...sectionCriteria(spec, unit),
    ])];
    if (unit.kind === "test" && unit.requirements.length === 0) {
      acceptance.push("Each P0 requirement of the spec is exercised by at least one end-to-end test", "The whole test suite passes");
    }
    // The scaffold is bounded work whatever the stack section says; tests are never trivial.
    const raw = complexityOf(unit.weight);
    const complexity = unit.kind === "setup" ? Math.min(Math.max(raw, 2), 3) : Math.max(raw, unit.kind === "test" ? 2 : 1);
    const priority: Priority = unit.kind === "setup" ? "P0" : strongestPriority(unit.requirements.map((r) => r.priority));
    const dependencies = [...(deps[i] ?? [])].sort((a, b) => a - b).map((j) => ({ id: unitIds[j] as string, title: units[j]?.title ?? "" }));
    const prose = unit.section.length > 0 ? (spec.sectionProse.get(pathKey(unit.section)) ?? []) : [];
    return {
      id,
      title: unit.title.length > 200 ? `${unit.title.slice(0, 199)}…` : unit.title,
      prompt: buildPrompt({ id, title: unit.title, projectName, spec, requirements: unit.requirements, criteria: unit.criteria, acceptance, files: files[i] ?? [], dependencies, sectionProse: prose, guidance: guidanceFor(unit.kind, unit.category) }),
      category: unit.category,
      complexity,
      priority,
      estimateMinutes: minutesOf(complexity),
      dependsOn: dependencies.map((d) => d.id),
      files: files[i] ?? [],
      acceptance,
      requirements: [...new Set(unit.requirements.map((r) => r.id))],
    };
  });
  return { tasks, warnings };
}

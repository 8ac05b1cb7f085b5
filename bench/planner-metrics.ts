/**
 * Scores a plan against hand-written expectations (pure). Expectations name requirements by a fragment of their
 * text and sections by a heading (or a model name); see bench/planner-corpus/README.md for the format.
 */
import type { Plan, PlannedTask, Priority } from "../src/core/index.js";
import type { ParsedSpec, Requirement } from "../src/decomposition/index.js";

export interface Expectations {
  /** Requirement fragment → the priority a careful reader gives it. Each must land in a task's prompt. */
  requirements: Record<string, Priority>;
  /** [dependent, dependency]: each a section heading, a model name or a requirement fragment. */
  edges: [string, string][];
  /** Names every one of which some task's title must carry. */
  sections: string[];
}

export interface Score {
  edgesExpected: number;
  edgesFound: number;
  edgesPlanned: number;
  edgesRight: number;
  prioritiesExpected: number;
  prioritiesRight: number;
  requirementsExpected: number;
  requirementsCovered: number;
  sectionsExpected: number;
  sectionsPlanned: number;
  /** Task ids or titles that still carry spec syntax (MUST, P0, "(MAY)"). */
  syntaxInNames: number;
  /** Requirements the plan itself reports without a task. */
  reportedUncovered: number;
  problems: string[];
}

const norm = (s: string): string => s.toLowerCase().replace(/\([^)]*\)/g, " ").replace(/[*_`]/g, "").replace(/\s+/g, " ").trim();
const squash = (s: string): string => s.toLowerCase().replace(/[*_]/g, "").replace(/\s+/g, " ");
const STRUCTURAL_DEPENDENTS = new Set(["test", "docs"]);
const SPEC_SYNTAX = /\b(must|should|shall|may|p[0-3])\b|\((?:must|should|may|could)\)/i;

/** Requirements an expectation name stands for: a model, a heading on the path, or a text fragment. */
export function resolveName(spec: ParsedSpec, name: string): Requirement[] {
  const n = norm(name);
  const models = spec.requirements.filter((r) => r.defines !== undefined && norm(r.defines) === n);
  if (models.length > 0) return models;
  const byHeading = spec.requirements.filter((r) => r.section.some((h) => norm(h) === n));
  if (byHeading.length > 0) return byHeading;
  const byPrefix = spec.requirements.filter((r) => r.section.some((h) => norm(h).startsWith(n)));
  if (byPrefix.length > 0) return byPrefix;
  return spec.requirements.filter((r) => squash(r.text).includes(squash(name)));
}

function ownersOf(plan: Plan, reqs: readonly Requirement[]): PlannedTask[] {
  const ids = new Set(reqs.map((r) => r.id));
  return plan.tasks.filter((t) => t.requirements.some((id) => ids.has(id)));
}

function reachesAny(byId: Map<string, PlannedTask>, from: PlannedTask, targets: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const stack = [...from.dependsOn];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (targets.has(id)) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return false;
}

export function scorePlan(plan: Plan, spec: ParsedSpec, expected: Expectations): Score {
  const problems: string[] = [];
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const resolve = (name: string): Requirement[] => {
    const reqs = resolveName(spec, name);
    if (reqs.length === 0) problems.push(`expectation names nothing in the spec: ${JSON.stringify(name)}`);
    return reqs;
  };

  // Recall: every task of the dependent reaches a task of the dependency (or is one).
  let edgesFound = 0;
  const reqEdges = new Map<string, Set<string>>();
  for (const [a, b] of expected.edges) {
    const ra = resolve(a);
    const rb = resolve(b);
    for (const x of ra) for (const y of rb) if (x.id !== y.id) (reqEdges.get(x.id) ?? reqEdges.set(x.id, new Set()).get(x.id))?.add(y.id);
    const ta = ownersOf(plan, ra);
    const tb = new Set(ownersOf(plan, rb).map((t) => t.id));
    const ok = ta.length > 0 && tb.size > 0 && ta.every((t) => tb.has(t.id) || reachesAny(byId, t, tb));
    if (ok) edgesFound++;
    else problems.push(`missing edge: ${a} -> ${b}`);
  }

  // Precision: a direct edge between feature tasks must follow from the expected edges (transitively), or join
  // parts of one section. Edges from the scaffold and to tests or docs are structural and not scored.
  const closure = (from: string): Set<string> => {
    const out = new Set<string>();
    const stack = [...(reqEdges.get(from) ?? [])];
    while (stack.length > 0) {
      const r = stack.pop() as string;
      if (out.has(r)) continue;
      out.add(r);
      stack.push(...(reqEdges.get(r) ?? []));
    }
    return out;
  };
  const sectionOf = new Map(spec.requirements.map((r) => [r.id, r.section.join(" > ")]));
  let edgesPlanned = 0;
  let edgesRight = 0;
  for (const t of plan.tasks) {
    if (STRUCTURAL_DEPENDENTS.has(t.category)) continue;
    const reach = new Set(t.requirements.flatMap((id) => [...closure(id)]));
    const sections = new Set(t.requirements.map((id) => sectionOf.get(id)));
    for (const d of t.dependsOn) {
      const dep = byId.get(d);
      if (dep === undefined || dep.category === "setup") continue;
      edgesPlanned++;
      if (dep.requirements.some((id) => reach.has(id) || sections.has(sectionOf.get(id)))) edgesRight++;
      else problems.push(`unexpected edge: ${t.id} -> ${dep.id}`);
    }
  }

  let prioritiesRight = 0;
  let requirementsCovered = 0;
  const reqPriority = new Map(plan.requirements.map((r) => [r.id, r.priority]));
  for (const [fragment, priority] of Object.entries(expected.requirements)) {
    const r = spec.requirements.find((x) => squash(x.text).includes(squash(fragment)));
    const owners = r ? ownersOf(plan, [r]) : [];
    const inPrompt = plan.tasks.some((t) => squash(t.prompt).includes(squash(fragment)));
    if (inPrompt && owners.length > 0) requirementsCovered++;
    else problems.push(`requirement without a task: ${JSON.stringify(fragment)}`);
    const read = r ? reqPriority.get(r.id) : undefined;
    if (read === priority && owners.every((t) => t.priority <= priority)) prioritiesRight++;
    else problems.push(`priority of ${JSON.stringify(fragment)}: ${read ?? "none"}${owners.length > 0 ? ` (task ${owners.map((t) => t.priority).join("/")})` : ""}, expected ${priority}`);
  }

  let sectionsPlanned = 0;
  for (const s of expected.sections) {
    if (plan.tasks.some((t) => t.title.toLowerCase().includes(s.toLowerCase()))) sectionsPlanned++;
    else problems.push(`section without a task: ${s}`);
  }
  const syntaxInNames = plan.tasks.filter((t) => SPEC_SYNTAX.test(t.title) || SPEC_SYNTAX.test(t.id.replace(/-/g, " "))).length;
  if (syntaxInNames > 0) problems.push(`spec syntax in names: ${plan.tasks.filter((t) => SPEC_SYNTAX.test(t.title) || SPEC_SYNTAX.test(t.id.replace(/-/g, " "))).map((t) => t.id).join(", ")}`);
  const traced = new Set(plan.tasks.flatMap((t) => t.requirements));
  const reportedUncovered = plan.requirements.filter((r) => !traced.has(r.id)).length;
  return {
    edgesExpected: expected.edges.length,
    edgesFound,
    edgesPlanned,
    edgesRight,
    prioritiesExpected: Object.keys(expected.requirements).length,
    prioritiesRight,
    requirementsExpected: Object.keys(expected.requirements).length,
    requirementsCovered,
    sectionsExpected: expected.sections.length,
    sectionsPlanned,
    syntaxInNames,
    reportedUncovered,
    problems,
  };
}

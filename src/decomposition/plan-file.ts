/**
 * The editable plan file. `planToYaml` writes a plan with a header explaining how to edit it; `loadPlanFile`
 * reads one back and reports any problem with the line it is on, so that a hand edit is easy to fix.
 */
import { readFileSync, statSync } from "node:fs";
import { LineCounter, parseDocument, stringify, type Document } from "yaml";
import { MAX_YAML_ALIASES, yamlAliasLimit, NotFoundError, PlanCycleError, PlanError, planSchema, TASK_CATEGORIES, type Plan } from "../core/index.js";
import { PlanIssueError, resolvePlan } from "./dependency-resolver.js";

const HEADER = `# kappa plan. Edit freely, then run it with: kappa run --plan <this file>
#
# Each task runs in its own Claude Code session and git worktree.
#   id          lowercase letters, digits and '-' (used as a branch and directory name); unique
#   dependsOn   ids of tasks that must be merged before this one starts (no cycles)
#   prompt      the instructions the session receives; acceptance: what "done" means
#   category    ${TASK_CATEGORIES.join(", ")}
#   complexity  1 (trivial) to 5 (large); estimateMinutes: expected agent minutes
#   priority    P0 (must) to P3 (nice to have); files: files the task is expected to touch
# Remove a task by deleting it and every mention of its id in other tasks' dependsOn.
`;

/** The plan as YAML with an explanatory header; loading it back gives the same plan. */
export function planToYaml(plan: Plan): string {
  return `${HEADER}\n${stringify(plan, { lineWidth: 0, blockQuote: "literal" })}`;
}

function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && Array.isArray(node.range)) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses plan YAML; every error is a PlanError that names the file and line. */
export function parsePlanYaml(text: string, file: string): Plan {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = counter.linePos(syntax.pos[0]).line;
    throw new PlanError(`${file}:${line}: the plan is not valid YAML: ${syntax.message.split("\n")[0] ?? ""}`, { hint: "fix the YAML syntax on that line (indentation, quotes, colons)" });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: yamlAliasLimit() });
  } catch (cause) {
    if (!(cause instanceof ReferenceError)) throw new PlanError(`${file}: the plan cannot be read as YAML: ${(cause as Error).message}`, { hint: "fix the YAML there", cause });
    throw new PlanError(`${file}: the plan uses more than ${MAX_YAML_ALIASES} YAML aliases (*name), which kappa refuses`, {
      hint: "write the values out instead of repeating them with anchors (&name) and aliases (*name)",
      cause,
    });
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== "symbol");
    const line = lineOf(doc, counter, path);
    const where = path.length > 0 ? ` at ${path.join(".")}` : "";
    throw new PlanError(`${file}${line !== undefined ? `:${line}` : ""}: invalid plan${where}: ${issue?.message ?? "does not match the plan format"}`, {
      hint: "compare with a plan written by `kappa plan --spec SPEC.md --out plan.yaml`; the header comment lists every field",
    });
  }
  const plan = parsed.data;
  const unknown = unknownRequirement(plan);
  if (unknown) {
    const line = lineOf(doc, counter, unknown.path);
    throw new PlanError(`${file}${line !== undefined ? `:${line}` : ""}: task "${unknown.task}" names an unknown requirement ${JSON.stringify(unknown.id)}`, {
      hint: plan.requirements.length > 0 ? `use one of the ids under requirements (${plan.requirements.slice(0, 5).map((r) => r.id).join(", ")}${plan.requirements.length > 5 ? ", …" : ""}), or add it there` : "add it under requirements (id, text, priority), or remove it from the task",
    });
  }
  try {
    resolvePlan(plan);
  } catch (error) {
    if (error instanceof PlanIssueError) {
      const line = lineOf(doc, counter, error.path);
      throw new PlanError(`${file}${line !== undefined ? `:${line}` : ""}: ${error.message}`, { hint: error.hint, cause: error });
    }
    if (error instanceof PlanCycleError) {
      const first = error.cycle[0];
      const index = plan.tasks.findIndex((t) => t.id === first);
      const line = index >= 0 ? lineOf(doc, counter, ["tasks", index, "dependsOn"]) : undefined;
      throw new PlanCycleError(error.cycle, { hint: `remove one of these dependencies${line !== undefined ? ` (the first is at ${file}:${line})` : ""} so that the tasks can run in some order`, cause: error });
    }
    throw error;
  }
  return plan;
}

/** The first requirement id a task names that the plan's requirements do not list, with its document path. */
function unknownRequirement(plan: Plan): { task: string; id: string; path: (string | number)[] } | undefined {
  const known = new Set(plan.requirements.map((r) => r.id));
  for (const [i, task] of plan.tasks.entries()) {
    const j = task.requirements.findIndex((id) => !known.has(id));
    const id = task.requirements[j];
    if (id !== undefined) return { task: task.id, id, path: ["tasks", i, "requirements", j] };
  }
  return undefined;
}

/** Reads and validates a plan file (YAML or JSON). */
export function loadPlanFile(path: string): Plan {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new PlanError(`the plan ${path} is a directory`, { hint: "pass the plan file, e.g. --plan plan.yaml" });
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof PlanError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(`the plan file ${path} does not exist`, { hint: "write one with `kappa plan --spec SPEC.md --out plan.yaml`", cause: error });
    throw new PlanError(`cannot read the plan ${path}: ${(error as Error).message}`, { hint: "check the file's permissions", cause: error });
  }
  if (text.trim().length === 0) throw new PlanError(`the plan ${path} is empty`, { hint: "write one with `kappa plan --spec SPEC.md --out plan.yaml`" });
  return parsePlanYaml(text, path);
}

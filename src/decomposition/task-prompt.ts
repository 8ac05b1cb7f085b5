/**
 * The instructions a session receives. A session sees only its worktree and this prompt, so the prompt carries
 * the project context, the exact requirements (with their spec lines), the acceptance criteria, the files it
 * is expected to own and what earlier tasks already built.
 */
import type { ParsedSpec, Requirement } from "./parser.js";

const MAX_CONTEXT = 1500;
const MAX_PROSE = 800;
const MAX_DEPENDENCIES = 12;

export interface PromptInput {
  id: string;
  title: string;
  projectName: string;
  spec: ParsedSpec;
  requirements: readonly Requirement[];
  /** Criteria owned by this task when a requirement was split; else each requirement's own. */
  criteria: readonly string[] | undefined;
  acceptance: readonly string[];
  files: readonly string[];
  dependencies: readonly { id: string; title: string }[];
  sectionProse: readonly string[];
  guidance: string | undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/, "")} …`;
}

export function buildPrompt(input: PromptInput): string {
  const { spec } = input;
  const parts: string[] = [];
  parts.push(`# Task ${input.id}: ${input.title}`);
  parts.push(
    `You are one of several coding sessions working in parallel on the project "${input.projectName}". Each session owns one task in its own git worktree; the results are merged afterwards. Do this task completely, and leave other tasks' work to them.`,
  );
  const context = [clip(spec.context, MAX_CONTEXT), spec.stack.length > 0 ? `Stack named in the spec: ${spec.stack.join(", ")}.` : ""].filter((s) => s.length > 0);
  if (context.length > 0) parts.push(`## Project\n${context.join("\n")}`);
  const reqLines: string[] = [];
  for (const r of input.requirements) {
    const where = r.section.length > 0 ? `spec line ${r.line}, "${r.section.join(" > ")}"` : `spec line ${r.line}`;
    reqLines.push(`- [${r.id}, ${r.priority}] ${r.text} (${where})`);
    for (const c of input.criteria ?? r.acceptance) reqLines.push(`  - ${c}`);
    for (const d of r.details) reqLines.push(d.includes("\n") ? `\n\`\`\`\n${d}\n\`\`\`` : `  ${d}`);
  }
  if (reqLines.length > 0) parts.push(`## What to build\n${reqLines.join("\n")}`);
  if (input.guidance) parts.push(input.guidance);
  if (input.sectionProse.length > 0) parts.push(`## Notes from the spec\n${clip(input.sectionProse.join(" "), MAX_PROSE)}`);
  // Criteria already listed under a requirement above are not repeated.
  const shown = new Set(input.requirements.flatMap((r) => [r.text, ...(input.criteria ?? r.acceptance)]));
  const extra = input.acceptance.filter((a) => !shown.has(a));
  if (extra.length > 0) parts.push(`## Acceptance criteria\n${extra.map((a) => `- ${a}`).join("\n")}`);
  if (input.files.length > 0) {
    parts.push(`## Files you will likely create or change\n${input.files.map((f) => `- ${f}`).join("\n")}\nShared files (an entry point or registry other tasks also extend) deserve small, additive edits.`);
  }
  if (input.dependencies.length > 0) {
    const shown = input.dependencies.slice(0, MAX_DEPENDENCIES).map((d) => `- ${d.id}: ${d.title}`);
    if (input.dependencies.length > MAX_DEPENDENCIES) shown.push(`- and ${input.dependencies.length - MAX_DEPENDENCIES} more`);
    parts.push(`## Already built by earlier tasks (merged into your branch)\n${shown.join("\n")}\nUse their code rather than re-implementing it.`);
  }
  parts.push("## Done means\n- Every acceptance criterion above holds, with automated tests that check it and pass.\n- The project still builds and its existing tests pass.\n- Leave your changes in the working tree; kappa commits them.");
  return parts.join("\n\n");
}

/** Standing instructions for kinds of task whose requirements rarely say everything. */
export function guidanceFor(kind: string, category: string): string | undefined {
  if (kind === "setup") {
    return "## Scaffold\nCreate the project skeleton every other task builds on: manifest with build and test scripts, compiler and test-runner configuration, source and test folders, and the entry point with an empty registry (commands, routes or pages) that later tasks extend. Include one passing smoke test. Do not implement features.";
  }
  if (kind === "model") return "## Scope\nDefine the type, its validation and (if the project persists data) its storage mapping. No commands, endpoints or screens.";
  if (kind === "test" && category === "test") return "## Scope\nWrite tests that exercise the finished features together, as a user would. Fix only clear bugs you find; report anything larger in your summary.";
  return undefined;
}

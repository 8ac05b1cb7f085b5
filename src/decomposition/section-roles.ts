/**
 * What a section of a specification is for, judged from its heading. The role decides whether its items are
 * requirements at all (an "Out of scope" list is not) and which kind of task they become.
 */
import type { TaskCategory } from "../core/index.js";

export type SectionRole =
  | "context" // overview, background, goals: prose handed to every session, no tasks
  | "excluded" // non-goals, out of scope, future work: never planned
  | "acceptance" // acceptance criteria of the enclosing section
  | "setup" // stack, tooling, project structure: the scaffold task
  | "data-model" // entities and their fields
  | "foundation" // cross-cutting runtime code features build on: storage, configuration, errors
  | "test" // testing, quality and performance requirements
  | "docs"
  | "infra" // deployment, CI, packaging
  | "feature";

const ROLE_RULES: readonly [RegExp, SectionRole][] = [
  // Anchored: "Pay later" and "Deferred payments" are features, "Later" and "Deferred" are not.
  [/^(?:non[- ]?goals?|out of scope|not in scope|won'?t have|future work|later|open questions|deferred|ideas for later)\b|\b(?:non[- ]?goals|out of scope|not in scope|won'?t have)\b/i, "excluded"],
  [/\b(acceptance( criteria| tests)?|definition of done|done when)\b/i, "acceptance"],
  // The whole heading: "Notes", "Goals" and "Summary" are context, "Notes sync", "Savings goals" and "Weekly
  // summary email" are features.
  [/^(?:(?:project|product|system|document)\s+)?(?:overview|introduction|intro|background|context|summary|motivation|goals?|glossary|references?|notes?|about|purpose|problem(?: statement)?|vision|personas|users?\s+and\s+personas|terminology|conventions used)(?:\s+(?:and|&)\s+[a-z -]+)?$/i, "context"],
  [/\b(tech(nology|nical)? stack|stack|tooling|setup|set-up|scaffold(ing)?|project (structure|layout)|technolog(y|ies)|dependencies|conventions)\b/i, "setup"],
  [/\b(data ?models?|models?|entities|entity|schema|domain( model)?)\b/i, "data-model"],
  [/\b(test(s|ing)?|quality|performance|non[- ]functional|benchmarks?)\b/i, "test"],
  [/\b(docs|documentation|readme|help text)\b/i, "docs"],
  [/\b(deploy(ment)?|ci|continuous integration|docker|container(s)?|packaging|release|distribution|operations|monitoring|infrastructure)\b/i, "infra"],
  [/\b(storage|persistence|database|configuration|config|error handling|errors|logging|architecture|server|app shell|layout|observability)\b/i, "foundation"],
];

/** The role named by one heading, or undefined when the heading is just a topic ("Todos"). */
export function roleOfHeading(title: string): SectionRole | undefined {
  for (const [pattern, role] of ROLE_RULES) if (pattern.test(title)) return role;
  return undefined;
}

/** The role of a section from its heading path, nearest heading first; a document's H1 names the project. */
export function roleOfPath(path: readonly string[], hasTitleHeading: boolean): SectionRole {
  const start = hasTitleHeading ? 1 : 0;
  for (let i = path.length - 1; i >= start; i--) {
    const role = roleOfHeading(path[i] ?? "");
    if (role) return role;
  }
  return "feature";
}

const CATEGORY_RULES: readonly [RegExp, TaskCategory][] = [
  [/\b(api|endpoints?|rest|http|routes?|graphql|webhooks?)\b/i, "api"],
  [/\b(cli|commands?|command[- ]line|subcommands?|terminal|flags|options)\b/i, "cli"],
  [/\b(ui|pages?|screens?|views?|frontend|front-end|interface|components?|dialogs?|forms?|dashboard)\b/i, "ui"],
];

/** The category a feature section's headings imply (nearest first), if any. */
export function categoryOfPath(path: readonly string[]): TaskCategory | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    for (const [pattern, category] of CATEGORY_RULES) if (pattern.test(path[i] ?? "")) return category;
  }
  return undefined;
}

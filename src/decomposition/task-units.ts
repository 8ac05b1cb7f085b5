/**
 * Requirements → units of work. A unit becomes one task: one section of the spec as a rule, large sections
 * split along their commands / resources / screens, tiny neighbouring sections merged, one unit per data model.
 */
import type { TaskCategory } from "../core/index.js";
import type { Entity } from "./entities.js";
import { capitalize, slugify } from "./names.js";
import { pathKey, type ParsedSpec, type Requirement } from "./parser.js";
import { isPriorityHeading } from "./priority.js";
import { categoryOfPath } from "./section-roles.js";
import { MERGE_CAP, SPLIT_ABOVE, TARGET_WEIGHT, packConsecutive, requirementWeight } from "./sizing.js";

export type UnitKind = "setup" | "model" | "foundation" | "feature" | "test" | "docs" | "infra";

export interface Unit {
  kind: UnitKind;
  category: TaskCategory;
  title: string;
  /** Base for the task id (slugged and made unique later). */
  idBase: string;
  section: string[];
  requirements: Requirement[];
  /** Commands, resources or screens the unit owns. */
  keys: string[];
  /** The model a model unit defines (first one, for naming). */
  model?: string;
  /** Every model a model unit defines. */
  models?: string[];
  /** For a foundation: the surface it serves when its section says so (an app shell under "Pages" serves the UI). */
  scope?: TaskCategory;
  /** Set on the parts of a split section or requirement: parts that share a key run one after another. */
  splitOf?: string;
  /** Acceptance criteria given to this unit only (a large requirement split by criteria). */
  criteria?: string[];
  /** The titles of the sections a merged unit is made of ("Products and categories" is products and categories). */
  names?: string[];
  weight: number;
}

const SURFACE_KINDS: readonly Entity["kind"][] = ["endpoint", "command", "screen"];

/** The command, resource or screen a requirement is mostly about. */
export function primaryKey(r: Requirement): string | undefined {
  for (const kind of SURFACE_KINDS) {
    const e = r.entities.find((x) => x.kind === kind);
    if (e) return e.key;
  }
  return undefined;
}

function featureCategory(reqs: readonly Requirement[]): TaskCategory {
  const implied = reqs.find((r) => r.category !== undefined)?.category;
  if (implied) return implied;
  const count = (kind: Entity["kind"]): number => reqs.filter((r) => r.entities.some((e) => e.kind === kind)).length;
  const options: [TaskCategory, number][] = [["api", count("endpoint")], ["cli", count("command")], ["ui", count("screen")]];
  const [best, n] = options.reduce((a, b) => (b[1] > a[1] ? b : a));
  return n > 0 ? best : "logic";
}

const weightOf = (reqs: readonly Requirement[]): number => reqs.reduce((sum, r) => sum + requirementWeight(r), 0);

function leafTitle(section: readonly string[], reqs: readonly Requirement[]): string {
  const leaf = section[section.length - 1];
  if (leaf !== undefined) return leaf;
  const first = reqs[0]?.text ?? "Work";
  return first.length > 60 ? `${first.slice(0, 57).replace(/\s+\S*$/, "")}…` : first;
}

/** Splits one section's requirements into units no heavier than the target, along their keys where possible. */
function splitSection(base: Omit<Unit, "requirements" | "weight" | "keys">, reqs: Requirement[]): Unit[] {
  const total = weightOf(reqs);
  const keysOf = (rs: readonly Requirement[]): string[] => [...new Set(rs.flatMap((r) => { const k = primaryKey(r); return k === undefined ? [] : [k]; }))];
  if (total <= SPLIT_ABOVE) return [{ ...base, requirements: reqs, keys: keysOf(reqs), weight: total }];
  if (reqs.length === 1) return splitByCriteria(base, reqs[0] as Requirement);
  // Consecutive runs of the same key stay together; a keyless requirement joins the run before it.
  const runs: Requirement[][] = [];
  let lastKey: string | undefined;
  for (const r of reqs) {
    const k = primaryKey(r);
    const run = runs[runs.length - 1];
    if (run && lastKey !== undefined && (k === undefined || k === lastKey)) run.push(r);
    else runs.push([r]);
    if (k !== undefined) lastKey = k;
  }
  // A run heavier than a task may hold is cut between its requirements.
  const cut = runs.flatMap((run) => (weightOf(run) > SPLIT_ABOVE ? run.map((r) => [r]) : [run]));
  const chunks = packConsecutive(cut, weightOf, TARGET_WEIGHT).map((c) => c.flat());
  if (chunks.length === 1) return [{ ...base, requirements: reqs, keys: keysOf(reqs), weight: total }];
  const units: Unit[] = [];
  const leafSlug = slugify(base.section[base.section.length - 1] ?? base.title);
  chunks.forEach((chunk, i) => {
    if (chunk.length === 1 && requirementWeight(chunk[0] as Requirement) > SPLIT_ABOVE) {
      units.push(...splitByCriteria(base, chunk[0] as Requirement));
      return;
    }
    const keys = keysOf(chunk);
    // Keys that merely repeat the section's name ("events" under "Events") do not tell parts apart.
    const telling = keys.filter((k) => slugify(k) !== leafSlug);
    const label = telling.length > 0 && telling.length <= 3 ? telling.join(", ") : `part ${i + 1} of ${chunks.length}`;
    const suffix = telling.length > 0 && telling.length <= 2 ? telling.map((k) => slugify(k)).join("-") : String(i + 1);
    units.push({ ...base, title: `${base.title} (${label})`, idBase: `${base.idBase}-${suffix}`, requirements: chunk, keys, weight: weightOf(chunk), splitOf: base.idBase });
  });
  return units;
}

/** A single large requirement with many acceptance criteria becomes several tasks, each owning some criteria. */
function splitByCriteria(base: Omit<Unit, "requirements" | "weight" | "keys">, r: Requirement): Unit[] {
  const keys = [...new Set(r.entities.filter((e) => SURFACE_KINDS.includes(e.kind)).map((e) => e.key))];
  if (r.acceptance.length < 4) return [{ ...base, requirements: [r], keys, weight: requirementWeight(r) }];
  const parts = packConsecutive(r.acceptance, () => 1, Math.ceil(r.acceptance.length / Math.ceil(requirementWeight(r) / TARGET_WEIGHT)));
  return parts.map((criteria, i) => ({
    ...base,
    title: `${base.title} (part ${i + 1} of ${parts.length})`,
    idBase: `${base.idBase}-${i + 1}`,
    requirements: [r],
    criteria,
    keys,
    splitOf: base.idBase,
    weight: requirementWeight({ ...r, acceptance: criteria }),
  }));
}

/** Builds the units of a parsed spec, in spec order within each kind. */
export function buildUnits(spec: ParsedSpec): Unit[] {
  const units: Unit[] = [];
  const byRole = (role: Requirement["role"]): Requirement[] => spec.requirements.filter((r) => r.role === role);

  const setupReqs = byRole("setup");
  units.push({ kind: "setup", category: "setup", title: "Project setup and scaffold", idBase: "setup", section: setupReqs[0]?.section ?? [], requirements: setupReqs, keys: [], weight: Math.max(weightOf(setupReqs), 2) });

  const modelReqs = byRole("data-model");
  const modelUnits = new Map<string, Unit>();
  for (const r of modelReqs.filter((x) => x.defines !== undefined)) {
    const name = r.defines as string;
    const existing = modelUnits.get(name);
    if (existing) {
      existing.requirements.push(r);
      existing.weight += requirementWeight(r);
      continue;
    }
    const unit: Unit = { kind: "model", category: "data-model", title: `Data model: ${name}`, idBase: `model-${slugify(name)}`, section: r.section, requirements: [r], keys: [], model: name, models: [name], weight: requirementWeight(r) };
    modelUnits.set(name, unit);
    units.push(unit);
  }
  for (const r of modelReqs.filter((x) => x.defines === undefined)) {
    const mentioned = r.entities.find((e) => e.kind === "model" && modelUnits.has(e.name));
    const target = (mentioned ? modelUnits.get(mentioned.name) : undefined) ?? [...modelUnits.values()][0];
    if (target) {
      target.requirements.push(r);
      target.weight += requirementWeight(r);
    } else {
      const unit: Unit = { kind: "model", category: "data-model", title: "Data model", idBase: "data-model", section: r.section, requirements: [r], keys: [], weight: requirementWeight(r) };
      modelUnits.set("", unit);
      units.push(unit);
    }
  }

  const sectioned = (role: Requirement["role"], kind: UnitKind, category: (reqs: Requirement[]) => TaskCategory, prefix: (c: TaskCategory) => string): Unit[] => {
    const groups = new Map<string, Requirement[]>();
    for (const r of byRole(role)) {
      const key = pathKey(r.section);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const out: Unit[] = [];
    for (const reqs of groups.values()) {
      const section = reqs[0]?.section ?? [];
      const cat = category(reqs);
      const leaf = genericTitle(kind, capitalize(leafTitle(section, reqs)));
      // "Entries" alone says little; under "Commands" it becomes "Commands: Entries" (never "Must have: Entries").
      const parentHeading = section.length >= 2 && cat !== "logic" && kind === "feature" ? section[section.length - 2] : undefined;
      const parent = parentHeading !== undefined && !isPriorityHeading(parentHeading) && !GENERIC_PARENTS.test(parentHeading) ? parentHeading : undefined;
      const title = parent !== undefined ? `${capitalize(parent)}: ${leaf}` : leaf;
      // No "cli-command-line-client" or "ui-web-page": a title that names its surface needs no prefix.
      const p = SURFACE_NAMED[cat]?.test(leaf) === true ? "" : prefix(cat);
      const slug = slugify(leaf);
      const idBase = GENERIC_IDS[title] ?? (p && !slug.startsWith(p) ? `${p}${slug}` : slug);
      out.push(...splitSection({ kind, category: cat, title, idBase, section }, reqs));
    }
    return mergeSmallNeighbours(out);
  };

  // A foundation under "Pages" (an app shell) serves the UI only; elsewhere it serves every surface.
  units.push(...sectioned("foundation", "foundation", (reqs) => categoryOfPath(reqs[0]?.section ?? []) ?? "logic", () => "").map((u) => (u.category === "logic" ? u : { ...u, scope: u.category })));
  units.push(...sectioned("feature", "feature", featureCategory, (c) => (c === "logic" ? "" : `${c}-`)));
  units.push(...sectioned("test", "test", () => "test", () => "test-"));
  units.push(...sectioned("docs", "docs", () => "docs", () => "docs-"));
  units.push(...sectioned("infra", "infra", () => "infra", () => ""));
  return mergeSmallModels(units);
}

/** Tiny neighbouring models (a handful of fields each) become one task: a session per two-line type is waste. */
function mergeSmallModels(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    const prev = out[out.length - 1];
    if (prev?.kind === "model" && u.kind === "model" && prev.weight + u.weight <= MERGE_CAP) {
      out[out.length - 1] = { ...prev, title: `${prev.title}, ${u.model ?? u.title}`, idBase: `${prev.idBase}-${slugify(u.model ?? u.title)}`, requirements: [...prev.requirements, ...u.requirements], models: [...(prev.models ?? []), ...(u.models ?? [])], weight: prev.weight + u.weight };
      continue;
    }
    out.push(u);
  }
  return out;
}

const SURFACE_NAMED: Partial<Record<TaskCategory, RegExp>> = { cli: /\b(cli|command[- ]line|commands?|terminal)\b/i, api: /\b(api|endpoints?)\b/i, ui: /\b(ui|pages?|screens?|views?|dialogs?|front[- ]?end|web)\b/i };

/** Parents that add nothing to a title ("User stories: Recipes" says no more than "Recipes"). */
const GENERIC_PARENTS = /^(user stories|stories|(functional |non-functional )?requirements|features|functionality|scope|in scope|mvp|phase \d+|milestone \d+)$/i;

const GENERIC_IDS: Record<string, string> = { "End-to-end tests": "test-e2e", Documentation: "docs" };

/** "Testing" and "Documentation" say nothing a task title should repeat. */
function genericTitle(kind: UnitKind, title: string): string {
  if (kind === "test" && /^(testing|tests?|test plan|quality|quality assurance)$/i.test(title)) return "End-to-end tests";
  if (kind === "docs" && /^(documentation|docs)$/i.test(title)) return "Documentation";
  return title;
}

/** "API: Products" and "API: Orders" → "API: Products and orders" (an acronym keeps its capitals). */
function mergedTitle(first: string, second: string): string {
  const prefix = /^[^:]+:\s*/.exec(first)?.[0];
  const rest = prefix !== undefined && second.startsWith(prefix) ? second.slice(prefix.length) : second;
  const lower = /^[A-Z][A-Z]/.test(rest) ? rest : `${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
  return `${first} and ${lower}`;
}

/** A title without its parent prefix and part suffix: "Checkout: Cart (part 1 of 2)" → "Cart". */
function plainTitle(title: string): string {
  return title.replace(/\s*\([^)]*\)$/, "").replace(/^.*:\s*/, "");
}

/** Merges neighbouring tiny units of one parent section and category, so that no session is spent on a one-liner. */
function mergeSmallNeighbours(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    const prev = out[out.length - 1];
    const sameParent = prev !== undefined && pathKey(prev.section.slice(0, -1)) === pathKey(u.section.slice(0, -1)) && prev.section.length > 1;
    if (prev && sameParent && prev.category === u.category && prev.criteria === undefined && u.criteria === undefined && prev.weight + u.weight <= MERGE_CAP && prev.section !== u.section) {
      out[out.length - 1] = { ...prev, names: [...(prev.names ?? [plainTitle(prev.title)]), plainTitle(u.title)], title: mergedTitle(prev.title, u.title), idBase: `${prev.idBase}-${slugify(plainTitle(u.title))}`, requirements: [...prev.requirements, ...u.requirements], keys: [...prev.keys, ...u.keys], weight: prev.weight + u.weight };
      continue;
    }
    out.push(u);
  }
  return out;
}

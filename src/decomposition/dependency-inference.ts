/**
 * Infers which units depend on which. Rules, in order: the scaffold comes first; a data model comes before
 * code that mentions it; cross-cutting foundations (storage, configuration, errors) before the commands,
 * endpoints and screens built on them; an API before the screens that show its resources; code before the
 * tests and docs about it; and explicit phrases ("after X", "depends on X", "requires X", "uses X"). Inferred
 * edges always point from a lower layer to a higher one, so they cannot form a cycle; explicit edges that would
 * close a cycle are dropped and reported.
 */
import { nameVariants, words } from "./names.js";
import { pathKey } from "./parser.js";
import { isPriorityHeading } from "./priority.js";
import { AcyclicEdges } from "./acyclic-edges.js";
import { NameIndex, nameWords, singular, statedDependencies } from "./dependency-phrases.js";
import type { Unit } from "./task-units.js";

const LAYER: Record<string, number> = { setup: 0, "data-model": 1, foundation: 2, logic: 3, api: 4, cli: 4, ui: 5, test: 6, docs: 6, infra: 6 };
const GENERIC_TITLES = new Set(["commands", "command", "api", "endpoints", "features", "feature", "pages", "screens", "ui", "cli", "core", "general", "misc", "other", "requirements", "functional requirements", "overview", "data", "users", "user"]);
/** Headings too general to name anything, even after "depends on". */
const NEVER_NAMES = new Set(["features", "feature", "core", "general", "misc", "other", "requirements", "functional requirements", "non functional requirements", "overview", "data", "users", "user", "user stories", "stories", "must have", "should have", "could have"]);
/** Last words of a title that name its kind, not its topic: "Comments endpoints" is also "comments". */
const GENERIC_TAILS = new Set(["endpoints", "endpoint", "api", "page", "pages", "screen", "screens", "view", "commands", "command", "job", "jobs", "service", "module", "section", "feature", "features", "client", "handling", "management", "rules"]);
const MAX_FALLBACK_APIS = 4;
const PERSISTS = /\b(stor(?:e|es|ed|ing)|sav(?:e|es|ed|ing)|persist\w*|records?|recorded|creat(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|updat(?:e|es|ed|ing)|sign(?:s)? up|invit\w*|regist\w*|import\w*|keeps?|kept|writ(?:e|es|ten))\b/i;
const STORAGE_SECTION = /\b(storage|persistence|database|data store)\b/i;
const ACCOUNT_SECTION = /\b(accounts?|authentication|auth|log[- ]?in|sign[- ]?(up|in)|users?)\b/i;
const SIGNED_IN_ACTOR = /\bas an? (member|user|customer|author|owner|admin|administrator|subscriber|seller|buyer|editor)\b|\b(logged|signed)[- ]in\b/i;
const AUTH_WORDS = /\b(sign[- ]?up|sign[- ]?in|log[- ]?in|passwords?|accounts?|sessions? tokens?|bearer)\b/i;
const USER_MODELS = /^(user|account|member|customer)s?$/i;

export function layerOf(unit: Unit): number {
  if (unit.kind === "foundation") return LAYER.foundation ?? 2;
  if (unit.kind === "infra") return 6;
  return LAYER[unit.category] ?? 3;
}

const isSurface = (u: Unit): boolean => u.kind === "feature" && (u.category === "api" || u.category === "cli" || u.category === "ui");
const isCode = (u: Unit): boolean => u.kind === "feature" || u.kind === "foundation";

function unitText(u: Unit): string {
  return u.requirements.map((r) => `${r.text} ${(u.criteria ?? r.acceptance).join(" ")} ${r.details.join(" ")}`).join(" ");
}

/** Normalised title a unit may be mentioned by ("Time parsing" → "time parsing"), without a split's suffix. */
function baseTitle(u: Unit): string {
  return u.title.replace(/\s*\([^)]*\)$/, "").replace(/^.*:\s*/, "");
}

function mentionTitles(u: Unit): string[] {
  return (u.names ?? [baseTitle(u)]).map((t) => words(t).join(" ")).filter((t) => !GENERIC_TITLES.has(t) && t.length >= 4);
}

export interface InferredDependencies {
  /** deps[i] = indices of units that unit i depends on. */
  deps: Set<number>[];
  /** Explicit dependencies that were dropped because they would close a cycle. */
  dropped: { from: number; to: number }[];
}

/**
 * Names units go by. After a cue any heading on a unit's path counts ("depends on the API"), and so does its title
 * without a generic tail ("comments" for "Comments endpoints"); plain mentions count only for telling titles.
 */
function nameIndexes(units: readonly Unit[]): { cueIndex: NameIndex; mentionIndex: NameIndex } {
  const cueIndex = new NameIndex();
  const mentionIndex = new NameIndex();
  // A title that is also a model's name ("Events" beside the Event model) is mentioned for the model's sake.
  const modelNames = new Set(units.flatMap((u) => (u.models ?? []).flatMap((m) => nameVariants(m).map((f) => nameWords(f).join(" ")))));
  units.forEach((u, i) => {
    if (u.kind === "setup" || u.kind === "test" || u.kind === "docs") return;
    for (const m of u.models ?? []) cueIndex.addModel(m, i);
    if (u.kind === "model") return;
    for (const t of mentionTitles(u)) {
      if (!modelNames.has(nameWords(t).join(" "))) mentionIndex.add(t, i);
      cueIndex.add(t, i);
    }
    const base = words(baseTitle(u));
    cueIndex.add(base.join(" "), i);
    const tail = base.length > 1 && GENERIC_TAILS.has(base[base.length - 1] ?? "") ? base.slice(0, -1).join(" ") : undefined;
    if (tail !== undefined && tail.length >= 4 && !GENERIC_TITLES.has(tail)) cueIndex.add(tail, i);
    for (const h of u.section) {
      const name = words(h).join(" ");
      if (!isPriorityHeading(h) && !NEVER_NAMES.has(name)) cueIndex.add(name, i);
    }
  });
  return { cueIndex, mentionIndex };
}

export function inferDependencies(units: readonly Unit[], sectionProse?: ReadonlyMap<string, readonly string[]>): InferredDependencies {
  const deps = units.map(() => new Set<number>());
  const dropped: { from: number; to: number }[] = [];
  const add = (dependent: number, dependency: number): void => {
    if (dependent !== dependency) deps[dependent]?.add(dependency);
  };
  const setup = units.findIndex((u) => u.kind === "setup");
  const modelUnit = new Map<string, number>();
  units.forEach((u, i) => { for (const m of u.models ?? []) modelUnit.set(m, i); });
  const reqOwner = new Map<string, number[]>();
  units.forEach((u, i) => { for (const r of u.requirements) pushTo(reqOwner, r.id, i); });

  const explicit: { dependent: number; dependency: number }[] = [];
  const mentioned: { dependent: number; dependency: number }[] = [];
  // Spec order: the line of a unit's first requirement (units without one come last).
  const order = units.map((u) => u.requirements[0]?.line ?? Number.MAX_SAFE_INTEGER);
  const { cueIndex, mentionIndex } = nameIndexes(units);
  const endpointIndex = new NameIndex();
  const topicWords = units.map((u, j) => {
    const own = u.category === "api" && u.kind === "feature" ? [...endpointTerms(u, true)] : [];
    for (const t of own) endpointIndex.add(t, j);
    const title = words(baseTitle(u)).filter((w) => !GENERIC_TAILS.has(w)).map(singular);
    return [...own.flatMap((t) => t.split(" ")), ...title, ...(u.models ?? []).flatMap((m) => nameWords(m))];
  });
  const allModels = units.flatMap((u, j) => (u.kind === "model" ? [j] : []));
  const accountUnits = units.flatMap((u, j) => (u.kind === "feature" && u.category !== "ui" && ACCOUNT_SECTION.test(u.section[u.section.length - 1] ?? "") ? [j] : []));
  units.forEach((u, i) => {
    const layer = layerOf(u);
    if (setup >= 0 && i !== setup) add(i, setup);
    const models = new Set(u.requirements.flatMap((r) => r.entities.filter((e) => e.kind === "model").map((e) => e.name)));
    // (A UI-only foundation such as an app shell talks to the API, not to the models.)
    if (layer > 1 && u.scope !== "ui") for (const m of models) { const j = modelUnit.get(m); if (j !== undefined) add(i, j); }
    // A model that refers to one defined earlier in the spec imports its type (spec order keeps this acyclic).
    if (u.kind === "model") for (const m of models) { const j = modelUnit.get(m); if (j !== undefined && j < i) add(i, j); }
    // Sign-up, login and tokens need the user model even when the text never says "user".
    if (layer > 1 && AUTH_WORDS.test(unitText(u))) for (const [m, j] of modelUnit) if (USER_MODELS.test(m)) add(i, j);

    // Mentions of a lower layer's code are plain dependencies; of an earlier section, dependencies unless they
    // would close a cycle. Sentences with a cue ("after X", "needs X", "before X") name dependencies outright.
    const text = unitText(u);
    const ownSection = pathKey(u.section);
    for (const j of mentionIndex.namesIn(nameWords(text))) {
      if (j === i) continue;
      const other = units[j] as Unit;
      if (layerOf(other) < layer && isCode(other)) add(i, j);
      else if (u.kind === "feature" && isCode(other) && order[j]! < order[i]! && pathKey(other.section) !== ownSection) mentioned.push({ dependent: i, dependency: j });
    }
    const prose = sectionProse?.get(ownSection) ?? [];
    const said = [text, ...prose].join("\n");
    const ownWords = new Set(nameWords(said));
    for (const { named, reverse } of statedDependencies(said, cueIndex, allModels, endpointIndex)) {
      // A name standing for several units ("the API") means those whose topic the text mentions, if any.
      // (Parts of the dependent's own section are ordered by the split, not by what its text says.)
      const candidates = named.filter((j) => j !== i && j !== setup && units[j]?.kind !== "test" && units[j]?.kind !== "docs" && pathKey(units[j]?.section ?? []) !== ownSection);
      const topical = candidates.length > 1 ? candidates.filter((j) => topicWords[j]?.some((w) => ownWords.has(w))) : candidates;
      for (const j of topical.length > 0 ? topical : candidates) {
        if (reverse) explicit.push({ dependent: j, dependency: i });
        else explicit.push({ dependent: i, dependency: j });
      }
    }
    // "As a member, I want…": a story told by a signed-in actor needs the accounts that sign them in.
    if (accountUnits.length > 0 && SIGNED_IN_ACTOR.test(text)) for (const j of accountUnits) if (j !== i && !accountUnits.includes(i)) explicit.push({ dependent: i, dependency: j });
    for (const r of u.requirements) {
      for (const m of r.text.matchAll(/\b(?:after|depends on|requires|builds on)\s+([A-Z]{1,6}-?\d{1,5})\b/g)) {
        for (const j of reqOwner.get(m[1] ?? "") ?? []) explicit.push({ dependent: i, dependency: j });
      }
    }
  });

  const statesDependencies = new Set(explicit.map((e) => e.dependent));
  // Foundations under every surface of their scope; an API under the screens that call it (via a term index).
  const foundations = units.flatMap((f, j) => (f.kind === "foundation" ? [j] : []));
  // Storage-like foundations also serve logic that writes data (it names a model and says it keeps it);
  // logic that only computes (grouping, rounding) runs beside them.
  const stores = foundations.filter((j) => (units[j] as Unit).section.some((h) => STORAGE_SECTION.test(h)));
  units.forEach((u, i) => {
    if (u.kind !== "feature" || u.category !== "logic" || !u.requirements.some((r) => r.entities.some((e) => e.kind === "model"))) return;
    if (PERSISTS.test(unitText(u))) for (const j of stores) add(i, j);
  });
  // A screen calls the API units whose own resources it shows; failing that, any resource on their paths;
  // failing that (a screen naming no resource), every API unit: its data comes from somewhere.
  const apis = units.flatMap((api, j) => (api.kind === "feature" && api.category === "api" ? [j] : []));
  const ownTerms = indexTerms(apis, (j) => endpointTerms(units[j] as Unit, true));
  const pathTerms = indexTerms(apis, (j) => endpointTerms(units[j] as Unit, false));
  // A foundation or test inside a feature's section ("Billing > Error handling") serves that feature only.
  const surfaces = units.flatMap((u, j) => (isSurface(u) ? [j] : []));
  const code = units.flatMap((u, j) => (isCode(u) ? [j] : []));
  const surfacesUnder = subtreeIndex(units, surfaces);
  const codeUnder = subtreeIndex(units, code);
  for (const j of foundations) {
    const f = units[j] as Unit;
    for (const i of scoped(f, j, surfacesUnder, surfaces, codeUnder)) if (f.scope === undefined || f.scope === units[i]?.category) add(i, j);
  }
  units.forEach((u, i) => {
    if (!isSurface(u) || u.category !== "ui") return;
    const terms = uiTerms(u);
    const matched = (index: Map<string, number[]>): number[] => [...terms].flatMap((t) => index.get(t) ?? []);
    const called = matched(ownTerms);
    // (Only for a small API: a screen among hundreds of resources that names none of them names no source.)
    const fallback = matched(pathTerms).length > 0 ? matched(pathTerms) : statesDependencies.has(i) || apis.length > MAX_FALLBACK_APIS ? [] : apis;
    for (const j of called.length > 0 ? called : fallback) add(i, j);
  });

  // Parts of one split that own the same command, resource or screen edit the same files: one after another.
  units.forEach((u, i) => {
    if (u.splitOf === undefined) return;
    for (let j = i - 1; j >= 0; j--) {
      const prev = units[j] as Unit;
      if (prev.splitOf !== u.splitOf) break;
      if (prev.keys.some((k) => u.keys.includes(k)) || (prev.keys.length === 0 && u.keys.length === 0)) {
        add(i, j);
        break;
      }
    }
  });

  // Tests and docs come after the code: an end-to-end test needs every feature it walks through, a feature's
  // own tests need that feature.
  units.forEach((u, i) => {
    if (u.kind !== "test" && u.kind !== "docs") return;
    for (const j of scoped(u, i, codeUnder, code, codeUnder)) add(i, j);
  });

  // Stated edges that would close a cycle are reported; mere mentions that would are guesses, dropped quietly.
  const guard = new AcyclicEdges(deps);
  const reported = new Set<string>();
  for (const [list, report] of [[explicit, true], [mentioned, false]] as const) {
    for (const { dependent, dependency } of list) {
      if (dependent === dependency || guard.tryAdd(dependent, dependency) || !report) continue;
      const key = `${dependent} ${dependency}`;
      if (!reported.has(key)) dropped.push({ from: dependent, to: dependency });
      reported.add(key);
    }
  }
  return { deps, dropped };
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}


/** Singular words and word pairs of an API unit's endpoint paths ("/api/plans/:week/shopping-list" → plan, shopping list). */
export function endpointTerms(api: Unit, ownOnly: boolean): Set<string> {
  const terms = new Set<string>(ownOnly ? [] : api.keys.map(singular));
  for (const r of api.requirements) {
    for (const e of r.entities) {
      if (e.kind !== "endpoint") continue;
      const segments = (e.name.split(" ")[1]?.split("/") ?? []).filter((seg) => seg.length > 0 && !seg.startsWith(":") && !seg.startsWith("{") && !/^(api|v\d+)$/.test(seg));
      // "/tasks/:id/comments" is about comments; its other segments only locate them.
      for (const seg of ownOnly ? segments.slice(-1) : segments) terms.add(words(seg).map(singular).join(" "));
    }
  }
  return terms;
}

/** Units of `members` by every prefix of their section path ("Billing", "Billing > Invoices"). */
function subtreeIndex(units: readonly Unit[], members: readonly number[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const j of members) {
    const section = units[j]?.section ?? [];
    for (let k = 1; k <= section.length; k++) pushTo(index, pathKey(section.slice(0, k)), j);
  }
  return index;
}

/**
 * The members a nested unit serves: when its parent section holds code of its own ("Billing > Tests"), the members
 * under that parent (maybe none); otherwise ("Non-functional requirements > Performance") all of them.
 */
function scoped(u: Unit, self: number, under: ReadonlyMap<string, number[]>, all: readonly number[], codeUnder: ReadonlyMap<string, number[]>): readonly number[] {
  if (u.section.length < 2) return all;
  const parent = pathKey(u.section.slice(0, -1));
  const ownCode = (codeUnder.get(parent) ?? []).some((j) => j !== self);
  return ownCode ? (under.get(parent) ?? []) : all;
}

function indexTerms(units: readonly number[], termsOf: (j: number) => Set<string>): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const j of units) for (const t of termsOf(j)) pushTo(index, t, j);
  return index;
}

/** Singular words and pairs a screen's text uses, leaving out the names of other screens it merely links to. */
function uiTerms(u: Unit): Set<string> {
  const own = new Set(u.keys);
  let text = unitText(u).toLowerCase();
  for (const r of u.requirements) for (const e of r.entities) if (e.kind === "screen" && !own.has(e.key)) text = text.split(e.name).join(" ");
  const ws = words(text).map(singular);
  const terms = new Set(ws);
  for (let k = 0; k + 1 < ws.length; k++) terms.add(`${ws[k] ?? ""} ${ws[k + 1] ?? ""}`);
  return terms;
}


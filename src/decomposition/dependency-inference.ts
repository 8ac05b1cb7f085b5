/**
 * Infers which units depend on which. Rules, in order: the scaffold comes first; a data model comes before
 * code that mentions it; cross-cutting foundations (storage, configuration, errors) before the commands,
 * endpoints and screens built on them; an API before the screens that show its resources; code before the
 * tests and docs about it; and explicit phrases ("after X", "depends on X", "requires X", "uses X"). Inferred
 * edges always point from a lower layer to a higher one, so they cannot form a cycle; explicit edges that would
 * close a cycle are dropped and reported.
 */
import { words } from "./names.js";
import type { Unit } from "./task-units.js";

const LAYER: Record<string, number> = { setup: 0, "data-model": 1, foundation: 2, logic: 3, api: 4, cli: 4, ui: 5, test: 6, docs: 6, infra: 6 };
const GENERIC_TITLES = new Set(["commands", "command", "api", "endpoints", "features", "feature", "pages", "screens", "ui", "cli", "core", "general", "misc", "other", "requirements", "functional requirements", "overview", "data", "users", "user"]);
const EXPLICIT_VERBS = new Set(["after", "requires", "require", "uses", "use", "using", "reuses", "via", "on"]);
const MAX_NGRAM = 4;
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
function mentionTitles(u: Unit): string[] {
  const base = u.title.replace(/\s*\([^)]*\)$/, "").replace(/^.*:\s*/, "");
  const title = words(base).join(" ");
  if (GENERIC_TITLES.has(title) || title.length < 4) return [];
  if (!title.includes(" ") && title.length < 5) return [];
  return [title];
}

export interface InferredDependencies {
  /** deps[i] = indices of units that unit i depends on. */
  deps: Set<number>[];
  /** Explicit dependencies that were dropped because they would close a cycle. */
  dropped: { from: number; to: number }[];
}

export function inferDependencies(units: readonly Unit[]): InferredDependencies {
  const deps = units.map(() => new Set<number>());
  const dropped: { from: number; to: number }[] = [];
  const add = (dependent: number, dependency: number): void => {
    if (dependent !== dependency) deps[dependent]?.add(dependency);
  };
  const setup = units.findIndex((u) => u.kind === "setup");
  const modelUnit = new Map<string, number>();
  units.forEach((u, i) => { for (const m of u.models ?? []) modelUnit.set(m, i); });
  const titleIndex = new Map<string, number[]>();
  units.forEach((u, i) => {
    if (u.kind === "setup" || u.kind === "test" || u.kind === "docs") return;
    for (const t of mentionTitles(u)) pushTo(titleIndex, t, i);
  });
  const reqOwner = new Map<string, number[]>();
  units.forEach((u, i) => { for (const r of u.requirements) pushTo(reqOwner, r.id, i); });

  const explicit: { dependent: number; dependency: number }[] = [];
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

    // Mentions of another unit's title; explicit verbs allow any direction (checked for cycles below).
    const ws = words(unitText(u));
    for (let a = 0; a < ws.length; a++) {
      let phrase = "";
      for (let n = 1; n <= MAX_NGRAM && a + n <= ws.length; n++) {
        phrase = n === 1 ? (ws[a] ?? "") : `${phrase} ${ws[a + n - 1] ?? ""}`;
        const hits = titleIndex.get(phrase);
        if (!hits) continue;
        const before = [ws[a - 1], ws[a - 2]].filter((w): w is string => w !== undefined && w !== "the" && w !== "a");
        const verb = before.some((w) => EXPLICIT_VERBS.has(w)) || (ws[a - 2] === "depends" && ws[a - 1] === "on") || (ws[a - 3] === "depends" && ws[a - 1] === "the");
        for (const j of hits) {
          if (j === i) continue;
          const other = units[j] as Unit;
          if (layerOf(other) < layer && isCode(other)) add(i, j);
          else if (verb) explicit.push({ dependent: i, dependency: j });
        }
      }
    }
    for (const r of u.requirements) {
      for (const m of r.text.matchAll(/\b(?:after|depends on|requires|builds on)\s+([A-Z]{1,6}-?\d{1,5})\b/g)) {
        for (const j of reqOwner.get(m[1] ?? "") ?? []) explicit.push({ dependent: i, dependency: j });
      }
    }
  });

  // Foundations under every surface of their scope; an API under the screens that call it (via a term index).
  const foundations = units.flatMap((f, j) => (f.kind === "foundation" ? [j] : []));
  const apiByTerm = new Map<string, number[]>();
  units.forEach((api, j) => {
    if (api.kind !== "feature" || api.category !== "api") return;
    for (const t of endpointTerms(api)) pushTo(apiByTerm, t, j);
  });
  units.forEach((u, i) => {
    if (!isSurface(u)) return;
    for (const j of foundations) { const f = units[j] as Unit; if (f.scope === undefined || f.scope === u.category) add(i, j); }
    if (u.category !== "ui") return;
    for (const t of uiTerms(u)) for (const j of apiByTerm.get(t) ?? []) add(i, j);
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

  // Tests and docs come after all the code: an end-to-end test needs every feature it walks through.
  units.forEach((u, i) => {
    if (u.kind !== "test" && u.kind !== "docs") return;
    units.forEach((c, j) => { if (isCode(c)) add(i, j); });
  });

  for (const { dependent, dependency } of explicit) {
    if (deps[dependent]?.has(dependency)) continue;
    if (reaches(deps, dependency, dependent)) dropped.push({ from: dependent, to: dependency });
    else add(dependent, dependency);
  }
  return { deps, dropped };
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ses") || word.endsWith("xes")) return word.slice(0, -2);
  return word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

/** Singular words and word pairs of an API unit's endpoint paths ("/api/plans/:week/shopping-list" → plan, shopping list). */
function endpointTerms(api: Unit): Set<string> {
  const terms = new Set<string>(api.keys.map(singular));
  for (const r of api.requirements) {
    for (const e of r.entities) {
      if (e.kind !== "endpoint") continue;
      for (const seg of e.name.split(" ")[1]?.split("/") ?? []) {
        if (seg.length === 0 || seg.startsWith(":") || seg.startsWith("{") || /^(api|v\d+)$/.test(seg)) continue;
        terms.add(words(seg).map(singular).join(" "));
      }
    }
  }
  return terms;
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

/** Does `from` (transitively) depend on `target`? */
function reaches(deps: readonly Set<number>[], from: number, target: number): boolean {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    if (n === target) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of deps[n] ?? []) stack.push(d);
  }
  return false;
}

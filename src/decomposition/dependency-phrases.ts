/**
 * Dependencies stated in words: "after the import", "depends on the API", "needs the streaks and the habits",
 * "once lending exists", "builds on recipes", "uses the cart", "before billing". A sentence with such a cue names
 * other parts of the spec after it; the names are looked up in an index of section headings, task titles and
 * model names (singular, lower case). Linear in the text: each word starts at most MAX_NGRAM lookups.
 */
import { nameVariants, words } from "./names.js";

const MAX_NGRAM = 5;

/** Cue phrases, as lower-case word sequences; "before" points the other way. */
const CUES: readonly { words: string[]; reverse: boolean; strict?: boolean }[] = [
  ...["after", "once", "requires", "require", "required", "needs", "need", "needed", "uses", "use", "using", "reuses", "via", "extends", "reads", "read", "consumes", "consume"].map((w) => ({ words: [w], reverse: false })),
  ...[["depends", "on"], ["depend", "on"], ["dependent", "on"], ["builds", "on"], ["build", "on"], ["built", "on"], ["relies", "on"], ["rely", "on"], ["on", "top", "of"], ["based", "on"]].map((ws) => ({ words: ws, reverse: false })),
  { words: ["before"], reverse: true, strict: true },
  { words: ["prerequisite", "for"], reverse: true },
];

/** Words that may stand between a strict cue and the name it points at ("before the billing"). */
const DETERMINERS = new Set(["the", "a", "an", "any", "all", "its", "their", "our", "every", "each", "both"]);

/** Cues by their first word, so that each word of a text costs one lookup. */
const CUES_BY_FIRST = new Map<string, (typeof CUES)[number][]>();
for (const cue of CUES) {
  const first = cue.words[0] ?? "";
  CUES_BY_FIRST.set(first, [...(CUES_BY_FIRST.get(first) ?? []), cue]);
}

function cueAt(ws: readonly string[], i: number): (typeof CUES)[number] | undefined {
  return CUES_BY_FIRST.get(ws[i] ?? "")?.find((c) => c.words.every((w, k) => ws[i + k] === w));
}

/** Words that start another clause. */
const CLAUSE_END = new Set(["it", "they", "which", "that", "this", "then", "so", "but", "while", "when", "where", "whose", "who", "unless", "because", "since", "if", "otherwise"]);

/** Words that say "every data model" when they follow a cue. */
const ALL_MODELS = new Set(["data model", "model", "schema", "entity", "domain model", "data layer"]);

export function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is") ? word.slice(0, -1) : word;
}

function startsWithName(index: NameIndex, ws: readonly string[], at: number): boolean {
  let phrase = "";
  for (let n = 1; n <= MAX_NGRAM && at + n <= ws.length; n++) {
    phrase = n === 1 ? (ws[at] ?? "") : `${phrase} ${ws[at + n - 1] ?? ""}`;
    if (index.get(phrase)) return true;
    if (!index.isPrefix(phrase)) return false;
  }
  return false;
}

/** Lower-case singular words: the form every name is indexed and looked up in. */
export function nameWords(text: string): string[] {
  return words(text).map(singular);
}

/** Phrase (singular words joined by spaces) → indices of the units it names. */
export class NameIndex {
  private readonly map = new Map<string, Set<number>>();
  /** Every proper word prefix of an indexed phrase: a lookup stops as soon as no name can start this way. */
  private readonly prefixes = new Set<string>();

  add(name: string, unit: number): void {
    const ws = nameWords(name);
    const phrase = ws.join(" ");
    if (phrase.length < 3) return;
    for (let k = 1; k < ws.length; k++) this.prefixes.add(ws.slice(0, k).join(" "));
    let set = this.map.get(phrase);
    if (!set) this.map.set(phrase, (set = new Set()));
    set.add(unit);
  }

  addModel(name: string, unit: number): void {
    for (const form of nameVariants(name)) this.add(form, unit);
  }

  isPrefix(phrase: string): boolean {
    return this.prefixes.has(phrase);
  }

  get(phrase: string): ReadonlySet<number> | undefined {
    return this.map.get(phrase);
  }

  /** Units named anywhere in `ws` (longest phrase first at each word), one group per name. */
  groupsIn(ws: readonly string[], from = 0, to = ws.length): ReadonlySet<number>[] {
    const found: ReadonlySet<number>[] = [];
    for (let a = from; a < to; a++) {
      let phrase = "";
      let best: ReadonlySet<number> | undefined;
      let bestLength = 0;
      for (let n = 1; n <= MAX_NGRAM && a + n <= to; n++) {
        phrase = n === 1 ? (ws[a] ?? "") : `${phrase} ${ws[a + n - 1] ?? ""}`;
        const hit = this.map.get(phrase);
        if (hit) {
          best = hit;
          bestLength = n;
        }
        if (!this.prefixes.has(phrase)) break;
      }
      if (best) {
        found.push(best);
        a += bestLength - 1;
      }
    }
    return found;
  }

  /** Units named anywhere in `ws`. */
  namesIn(ws: readonly string[], from = 0, to = ws.length): Set<number> {
    const found = new Set<number>();
    for (const group of this.groupsIn(ws, from, to)) for (const u of group) found.add(u);
    return found;
  }
}

export interface StatedDependency {
  /** The units one name in the sentence stands for ("the API" may be several). */
  named: readonly number[];
  /** True when the named unit depends on the sentence's unit ("before X"). */
  reverse: boolean;
}

/**
 * Units a text says its unit depends on (or, with "before", that depend on it). `allModels` are the model units
 * that "the data model" stands for.
 */
export function statedDependencies(text: string, index: NameIndex, allModels: readonly number[], endpoints?: NameIndex): StatedDependency[] {
  const out: StatedDependency[] = [];
  for (const sentence of text.split(/(?<=[.!?;])\s+|\n+/)) {
    const ws = nameWords(sentence);
    for (let i = 0; i < ws.length; i++) {
      const cue = cueAt(ws, i);
      if (!cue) continue;
      const start = i + cue.words.length;
      // The clause runs to the next cue or the start of another clause: "after login it opens the list page"
      // names login only.
      let end = start;
      while (end < ws.length && !CLAUSE_END.has(ws[end] ?? "") && cueAt(ws, end) === undefined) end++;
      // "before saving and showing the API's errors" is about time, not about a part: a strict cue must be
      // followed by the name itself.
      let from = start;
      while (cue.strict && from < end && DETERMINERS.has(ws[from] ?? "")) from++;
      const groups = index.groupsIn(ws, from, cue.strict ? Math.min(end, from + MAX_NGRAM) : end);
      const named = !cue.strict ? groups : startsWithName(index, ws, from) ? groups.slice(0, 1) : [];
      for (const group of named) out.push({ named: [...group], reverse: cue.reverse });
      const clause = ws.slice(start, end);
      // "builds on the balances endpoint": the API unit serving that resource.
      if (endpoints && clause.some((w) => w === "endpoint" || w === "api" || w === "route")) {
        for (const group of endpoints.groupsIn(clause)) out.push({ named: [...group], reverse: cue.reverse });
      }
      for (let k = 0; k < clause.length; k++) {
        const one = clause[k] ?? "";
        const two = `${one} ${clause[k + 1] ?? ""}`;
        if (ALL_MODELS.has(two) || (ALL_MODELS.has(one) && index.get(one) === undefined)) {
          if (allModels.length > 0) out.push({ named: allModels, reverse: cue.reverse });
          break;
        }
      }
      i = end - 1;
    }
  }
  return out;
}

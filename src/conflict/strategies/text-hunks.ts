/**
 * Text merged hunk by hunk, on the conflict hunks git itself reported (never on an alignment of kappa's own, so
 * a region git found is never skipped). Each hunk is resolved by the first rule that can prove its answer, or
 * the whole file is refused: whitespace-only differences, new changelog sections at the top, import lists (set
 * semantics), insertions of list entries at one spot. The assembled text still has to pass result-checks.ts.
 */
import type { ConflictRegion, MergeRegion } from "../diff3.js";
import { mergeChangelogSections } from "./changelog.js";
import { mergeImportHunk } from "./import-list.js";
import { mergeListHunk } from "./list-insert.js";

/** What the rules see around a hunk: the merged lines just before and after it. */
export interface HunkContext {
  path: string;
  before: readonly string[];
  after: readonly string[];
  /** Which side's insertions come first at one spot of an unsorted list, when the sides' time order is known. */
  insertionOrder?: InsertionOrder | undefined;
}

export type InsertionOrder = "ours-first" | "theirs-first";

export type HunkOutcome = { lines: string[]; rule: string } | { refuse: string };

const norm = (lines: readonly string[]): string[] => lines.map((l) => l.trimEnd()).filter((l) => l !== "");

/**
 * Both sides hold the same lines but for blank lines and trailing blanks (one deleted a line the other
 * blanked): the sides agree on every line of text, so either is the merge; the one with fewer blank lines wins.
 */
export function mergeWhitespaceHunk(h: ConflictRegion): HunkOutcome {
  const o = norm(h.ours);
  const t = norm(h.theirs);
  if (o.length !== t.length || o.some((l, i) => l !== t[i])) return { refuse: "the sides differ in more than whitespace" };
  // Prefer the side without blank lines the other lacks: deleting a line beats blanking it.
  const blanks = (lines: readonly string[]): number => lines.filter((l) => l.trim() === "").length;
  return { lines: blanks(h.theirs) < blanks(h.ours) ? [...h.theirs] : [...h.ours], rule: "whitespace-only" };
}

const RULES: readonly ((h: ConflictRegion, ctx: HunkContext) => HunkOutcome)[] = [mergeWhitespaceHunk, mergeChangelogSections, mergeImportHunk, mergeListHunk];

export function resolveHunk(h: ConflictRegion, ctx: HunkContext): HunkOutcome {
  const reasons: string[] = [];
  for (const rule of RULES) {
    const r = rule(h, ctx);
    if ("lines" in r) return r;
    reasons.push(r.refuse);
  }
  return { refuse: reasons[reasons.length - 1] ?? "no rule applies" };
}

/** The merged text when every hunk git reported is resolved by a rule, else the first refusal. */
export function mergeTextHunks(path: string, regions: readonly MergeRegion[], insertionOrder?: InsertionOrder): { content: string; rules: string[] } | { refuse: string } {
  const out: string[] = [];
  const rules: string[] = [];
  for (const [i, region] of regions.entries()) {
    if (region.stable) {
      out.push(...region.lines);
      continue;
    }
    const next = regions[i + 1];
    const after = next?.stable ? next.lines : [];
    const r = resolveHunk(region, { path, before: out, after, insertionOrder });
    if ("refuse" in r) return r;
    out.push(...r.lines);
    rules.push(r.rule);
  }
  return { content: out.join(""), rules };
}

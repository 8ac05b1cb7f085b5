/**
 * Import lists merged as sets: every import line one side added is kept, every one a side removed is dropped
 * (a changed line is a removal plus an addition). Refused when two lines of the result import the same module
 * and neither side did so (both sides edited one import differently), or when the order is not provable: the
 * result is sorted when the import block is sorted on both sides (by line or by module, whichever both sides
 * follow), else it is one side's order with only the other side's removals applied.
 */
import type { ConflictRegion } from "../diff3.js";
import { kindOf } from "./list-insert.js";
import type { HunkContext, HunkOutcome } from "./text-hunks.js";

const IMPORT_KINDS = new Set(["import", "require", "export-from", "python-import"]);

const trimmed = (l: string): string => l.trim();

function moduleOf(line: string): string {
  return /["']([^"']+)["']/.exec(line)?.[1] ?? line.trim();
}

type SortKey = (line: string) => string;
const KEYS: readonly SortKey[] = [(l) => l.trim(), (l) => moduleOf(l).toLowerCase()];

const sortedBy = (lines: readonly string[], k: SortKey): boolean => lines.every((l, i) => i === 0 || k(lines[i - 1] as string) <= k(l));

function block(lines: readonly string[], path: string, fromEnd: boolean): string[] {
  const out: string[] = [];
  const seq = fromEnd ? [...lines].reverse() : lines;
  for (const l of seq) {
    const kind = kindOf(l, path);
    if (kind === undefined || !IMPORT_KINDS.has(kind)) break;
    out.push(l);
  }
  return fromEnd ? out.reverse() : out;
}

export function mergeImportHunk(h: ConflictRegion, ctx: HunkContext): HunkOutcome {
  const lines = [...h.base, ...h.ours, ...h.theirs];
  if (h.ours.length === 0 || h.theirs.length === 0) return { refuse: "not an import list: a side deleted the whole hunk" };
  if (lines.some((l) => !IMPORT_KINDS.has(kindOf(l, ctx.path) ?? ""))) return { refuse: "not an import list" };
  const base = new Set(h.base.map(trimmed));
  const ours = new Set(h.ours.map(trimmed));
  const theirs = new Set(h.theirs.map(trimmed));
  const keep = (l: string): boolean => {
    const t = l.trim();
    return base.has(t) ? ours.has(t) && theirs.has(t) : true;
  };
  const oursKept = h.ours.filter(keep);
  const theirsAdded = h.theirs.filter((l) => keep(l) && !ours.has(l.trim()));
  const result = [...oursKept, ...theirsAdded];
  const modules = result.map(moduleOf);
  for (const [i, m] of modules.entries()) {
    const dup = modules.indexOf(m) !== i;
    const sideHad = (side: readonly string[]): boolean => side.filter((l) => moduleOf(l) === m).length > 1;
    if (dup && !sideHad(h.ours) && !sideHad(h.theirs)) return { refuse: `both sides changed the import of ${m}` };
  }
  if (theirsAdded.length === 0) return { lines: oursKept, rule: "import list" };
  const oursAdded = oursKept.filter((l) => !base.has(l.trim()));
  if (oursAdded.length === 0) return { lines: h.theirs.filter(keep), rule: "import list" };
  const before = block(ctx.before, ctx.path, true);
  const after = block(ctx.after, ctx.path, false);
  const orders = KEYS.filter((k) => sortedBy([...before, ...h.ours, ...after], k) && sortedBy([...before, ...h.theirs, ...after], k)).map((k) =>
    [...result].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0)),
  );
  const first = orders[0];
  const observable = before.length + after.length + Math.min(h.ours.length, h.theirs.length) >= 2;
  if (first === undefined || !observable) return { refuse: "both sides added imports to a list that is not sorted" };
  if (orders.some((o) => o.join("") !== first.join(""))) return { refuse: "the import list's sort order is ambiguous" };
  return { lines: first, rule: "import list (sorted)" };
}

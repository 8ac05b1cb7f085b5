/**
 * List entries: both sides inserted distinct single-line entries of one kind (exports, `require`, registrations,
 * array items, Markdown/YAML list items) at the same spot of a list, in one of git's conflict hunks. Safe only
 * for pure insertions, with no line deleted or changed and no duplicate. Order: when the list around the spot is
 * sorted on both sides, the merge stays sorted. Otherwise the order is known only when the sides' time order is:
 * in kappa's own merges each side is a task with a finish time, and the entries go in finish order (earlier task
 * first, as if the tasks had run one after the other). Without it (the merge driver) the hunk is refused: on the
 * corpus of docs/merge-driver.md the human put ours first in 37 such hunks and theirs first in 32, so no fixed
 * order (ours then theirs, or theirs then ours) can be claimed.
 */
import type { ConflictRegion } from "../diff3.js";
import type { HunkContext, HunkOutcome } from "./text-hunks.js";

interface LineKind {
  name: string;
  test: (line: string) => boolean;
}

/** Brackets, parentheses and braces balance within the line (a multi-line statement is never an entry). */
export function balanced(line: string): boolean {
  let depth = 0;
  for (const c of line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')) {
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const KINDS: readonly LineKind[] = [
  { name: "import", test: (l) => /^\s*import\s+(?:type\s+)?(?:[\w$*{},\s]+\s+from\s+)?["'][^"']+["'];?\s*$/.test(l) && balanced(l) },
  { name: "require", test: (l) => /^\s*(?:const|let|var)\s+[\w${},\s:]+=\s*require\(["'][^"']+["']\)[\w.$]*;?\s*$/.test(l) && balanced(l) },
  { name: "python-import", test: (l) => /^(?:from\s+[\w.]+\s+)?import\s+[\w., ]+$/.test(l.trimEnd()) },
  { name: "export-from", test: (l) => /^\s*export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+["'][^"']+["'];?\s*$/.test(l) },
  { name: "markdown-item", test: (l) => /^\s*(?:[-*+]|\d+[.)])\s+\S/.test(l) },
  { name: "list-item", test: (l) => /^\s+\S.*,\s*$/.test(l) && balanced(l.replace(/,\s*$/, "")) && !/^\s*(?:if|for|while|return|case)\b/.test(l) },
  { name: "registration", test: (l) => /^\s*[\w$]+(?:\.[\w$]+)*\(.*\);?\s*$/.test(l) && balanced(l) && !/^\s*(?:if|for|while|switch|return)\b/.test(l) },
];

/** Markdown/YAML list items only in such files: in code, `* text` is a doc comment line, not a list entry. */
const LIST_FILES = /\.(?:md|mdx|markdown|ya?ml)$/i;

export function kindOf(line: string, path: string): string | undefined {
  const text = line.replace(/\r?\n$/, "");
  if (text.trim() === "") return undefined;
  const listFile = LIST_FILES.test(path);
  return KINDS.find((k) => (k.name === "markdown-item" ? listFile : true) && k.test(text))?.name;
}

/** Why a conflict hunk is not a safe double insertion, or undefined when it is. */
export function unsafeInsertion(region: ConflictRegion, path: string): string | undefined {
  if (region.base.length > 0) return "both sides replaced or deleted the same base lines";
  if (region.ours.length === 0 || region.theirs.length === 0) return "one side inserted nothing";
  const kinds = new Set<string | undefined>([...region.ours, ...region.theirs].map((l) => kindOf(l, path)));
  if (kinds.has(undefined) || kinds.size !== 1) return "inserted lines are not entries of one list";
  const all = [...region.ours, ...region.theirs].map((l) => l.replace(/\r?\n$/, "").trim());
  if (new Set(all).size !== all.length) return "both sides inserted the same entry";
  const lastOurs = region.ours[region.ours.length - 1] as string;
  if (!lastOurs.endsWith("\n")) return "an insertion at the end of a file without a final newline";
  return undefined;
}

const key = (line: string): string => line.trim().replace(/[,;]$/, "");

/** The entries of `kind` adjacent to the spot (up to the first line of another kind). */
function neighbours(lines: readonly string[], kind: string, path: string, fromEnd: boolean): string[] {
  const out: string[] = [];
  const seq = fromEnd ? [...lines].reverse() : lines;
  for (const l of seq) {
    if (kindOf(l, path) !== kind) break;
    out.push(l);
  }
  return fromEnd ? out.reverse() : out;
}

const isSorted = (lines: readonly string[]): boolean => lines.every((l, i) => i === 0 || key(lines[i - 1] as string) <= key(l));

/** Orders two sides' insertions at one spot when the list is sorted on both sides, else undefined. */
export function orderInsertions(ours: readonly string[], theirs: readonly string[], ctx: HunkContext, kind: string): string[] | undefined {
  const before = neighbours(ctx.before, kind, ctx.path, true);
  const after = neighbours(ctx.after, kind, ctx.path, false);
  const sortedList = isSorted([...before, ...ours, ...after]) && isSorted([...before, ...theirs, ...after]) && before.length + after.length >= 2;
  if (!sortedList) return undefined;
  return [...ours, ...theirs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function mergeListHunk(h: ConflictRegion, ctx: HunkContext): HunkOutcome {
  const reason = unsafeInsertion(h, ctx.path);
  if (reason !== undefined) return { refuse: `not a list insertion: ${reason}` };
  const kind = kindOf(h.ours[0] as string, ctx.path) as string;
  const lines = orderInsertions(h.ours, h.theirs, ctx, kind) ?? (ctx.insertionOrder === "ours-first" ? [...h.ours, ...h.theirs] : ctx.insertionOrder === "theirs-first" ? [...h.theirs, ...h.ours] : undefined);
  if (!lines) return { refuse: "both sides inserted entries at one spot of a list that is not sorted (the order is a person's choice)" };
  return { lines, rule: ctx.insertionOrder ? "list insertion" : "list insertion (sorted)" };
}

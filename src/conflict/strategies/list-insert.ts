/**
 * List-like regions: both sides inserted distinct lines at the same spot of a list (imports, exports,
 * registrations, array items, Markdown list items). Keeping both (ours then theirs) is safe only for pure
 * insertions of one kind of single-line entry, with no line deleted or changed and no duplicate.
 */
import { assemble, mergeTextRegions, type ConflictRegion } from "../diff3.js";
import type { StrategyAttempt } from "../types.js";

interface LineKind {
  name: string;
  test: (line: string) => boolean;
}

/** Brackets, parentheses and braces balance within the line (a multi-line statement is never an entry). */
function balanced(line: string): boolean {
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

function kindOf(line: string, path: string): string | undefined {
  const text = line.replace(/\r?\n$/, "");
  if (text.trim() === "") return undefined;
  const listFile = LIST_FILES.test(path);
  return KINDS.find((k) => (k.name === "markdown-item" ? listFile : true) && k.test(text))?.name;
}

/** Why a conflict region is not a safe double insertion, or undefined when it is. */
export function unsafeInsertion(region: ConflictRegion, path: string): string | undefined {
  if (region.base.length > 0) return "a line both sides changed or deleted";
  if (region.ours.length === 0 || region.theirs.length === 0) return "one side inserted nothing";
  const kinds = new Set<string | undefined>([...region.ours, ...region.theirs].map((l) => kindOf(l, path)));
  if (kinds.has(undefined) || kinds.size !== 1) return "inserted lines are not entries of one list";
  const all = [...region.ours, ...region.theirs].map((l) => l.replace(/\r?\n$/, "").trim());
  if (new Set(all).size !== all.length) return "both sides inserted the same entry";
  const lastOurs = region.ours[region.ours.length - 1] as string;
  if (!lastOurs.endsWith("\n")) return "an insertion at the end of a file without a final newline";
  return undefined;
}

/** Keeps both sides' insertions (ours then theirs) when every conflict region is a safe double insertion. */
export function mergeListInsertions(path: string, base: string, ours: string, theirs: string): StrategyAttempt {
  let reason: string | undefined;
  const content = assemble(mergeTextRegions(base, ours, theirs), (region) => {
    reason = unsafeInsertion(region, path);
    return reason === undefined ? [...region.ours, ...region.theirs] : undefined;
  });
  if (content === undefined) return { ok: false, reason: `not a list insertion: ${reason ?? "unknown"}` };
  return { ok: true, content, detail: "kept both sides' list entries" };
}

/**
 * One file, three versions, no repository needed: git's own line merge (`git merge-file`), then the structured
 * strategies. Used by the merge driver and the benchmark.
 */
import type { StrategyName } from "../core/index.js";
import { gitMergeFile } from "./git-merge-file.js";
import { mergeTextRegions, withConflictMarkers } from "./diff3.js";
import { resolveFile } from "./resolve-file.js";
import type { StrategyAttempt } from "./types.js";

export { gitMergeFile } from "./git-merge-file.js";

export interface MergeFileResult {
  /** Merged content when resolved; else the text with conflict markers. */
  content: string;
  resolved: boolean;
  strategy: string | undefined;
  tried: { strategy: string; reason: string }[];
}

/** Merges one file with the merge and structured strategies (no agent, no person, no precedent). */
export async function mergeFileText(path: string, base: string, ours: string, theirs: string, signal: AbortSignal, chain: readonly StrategyName[] = ["merge", "structured"], labels?: { ours: string; theirs: string }): Promise<MergeFileResult> {
  let marked: string | undefined;
  const textMerge = async (): Promise<StrategyAttempt> => {
    const r = await gitMergeFile(base, ours, theirs, signal, labels ? [labels.ours, "base", labels.theirs] : undefined);
    if (r.clean) return { ok: true, content: r.text };
    marked = r.text;
    return { ok: false, reason: "git's three-way merge conflicts" };
  };
  const binary = [base, ours, theirs].some((t) => t.includes("\u0000"));
  const result = await resolveFile({ path, base, ours, theirs }, { chain, binary, textMerge, signal });
  if (result.ok && result.content !== null) return { content: result.content, resolved: true, strategy: result.strategy, tried: [] };
  const fallback = marked ?? withConflictMarkers(mergeTextRegions(base, ours, theirs), labels ?? { ours: "ours", theirs: "theirs" });
  return { content: fallback, resolved: false, strategy: undefined, tried: result.ok ? [] : result.tried };
}

/**
 * The newer strategy: the side whose task finished later wins — per conflicting hunk for text present on both
 * sides (the other side's non-conflicting changes are kept), else per file. It discards the other side's hunk,
 * so it only runs when a rule names it.
 */
import { assemble, mergeTextRegions } from "../diff3.js";
import type { FileVersions, StrategyAttempt } from "../types.js";

export function newerMerge(file: FileVersions, finishedAt: { ours: number; theirs: number }, binary: boolean): StrategyAttempt {
  if (finishedAt.ours === finishedAt.theirs) return { ok: false, reason: "both sides finished at the same time" };
  const side = finishedAt.theirs > finishedAt.ours ? "theirs" : "ours";
  if (file.ours !== undefined && file.theirs !== undefined && !binary) {
    const content = assemble(mergeTextRegions(file.base ?? "", file.ours, file.theirs), (region) => region[side]);
    return { ok: true, content: content ?? "", detail: `${side} (finished later) per hunk` };
  }
  const content = file[side];
  if (content === undefined) return { ok: true, content: null, detail: `${side} (finished later) deleted the file` };
  return { ok: true, content, side, detail: `${side} (finished later) whole file` };
}

/** Overlap detection between two sides' edits of one file: the hunks a merge would have to decide. */
import { conflictRegions, mergeTextRegions } from "./diff3.js";

export interface OverlappingHunk {
  /** First base line (0-based) the hunk covers, and how many. */
  baseStart: number;
  baseLength: number;
  base: string[];
  ours: string[];
  theirs: string[];
}

/** Hunks both sides modified differently; empty when a line merge of the three texts is clean. */
export function hunksOverlap(base: string, ours: string, theirs: string): { overlaps: boolean; hunks: OverlappingHunk[] } {
  const hunks = conflictRegions(mergeTextRegions(base, ours, theirs)).map((r) => ({
    baseStart: r.baseStart,
    baseLength: r.base.length,
    base: r.base,
    ours: r.ours,
    theirs: r.theirs,
  }));
  return { overlaps: hunks.length > 0, hunks };
}

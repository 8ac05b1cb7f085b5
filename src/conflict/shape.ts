/**
 * Conflict shapes: the conflicting hunks of a file, normalised (line endings, trailing blanks) and hashed. The
 * same shape resolved once is resolved the same way later — a retried task meets exactly the conflict it met
 * before, and the user should not be asked twice.
 */
import { createHash } from "node:crypto";
import { assemble, conflictRegions, mergeTextRegions, sameLines, type MergeRegion } from "./diff3.js";
import type { PrecedentResolution } from "./types.js";

const norm = (lines: readonly string[]): string[] => lines.map((l) => l.replace(/[ \t\r]*\n?$/, ""));

/** The shape hash of a file's conflict, or undefined when the three texts do not conflict at all. */
export function shapeHash(regions: readonly MergeRegion[]): string | undefined {
  const conflicts = conflictRegions(regions);
  if (conflicts.length === 0) return undefined;
  const payload = JSON.stringify(conflicts.map((r) => [norm(r.base), norm(r.ours), norm(r.theirs)]));
  return createHash("sha256").update(payload).digest("hex");
}

/** Applies a stored resolution to a file with the same shape. */
export function applyPrecedent(regions: readonly MergeRegion[], resolution: PrecedentResolution): string | undefined {
  if (conflictRegions(regions).length !== resolution.regions.length) return undefined;
  return assemble(regions, (_r, i) => resolution.regions[i]);
}

/**
 * The per-region resolution that turns `regions` into `resolved`, or undefined when it cannot be told apart
 * unambiguously (checked by re-applying it: a precedent must reproduce this resolution exactly).
 */
export function extractPrecedent(base: string, ours: string, theirs: string, resolved: string): PrecedentResolution | undefined {
  const regions = mergeTextRegions(base, ours, theirs);
  const lines = resolved === "" ? [] : resolved.split(/(?<=\n)/);
  const out: string[][] = [];
  let cursor = 0;
  for (let i = 0; i < regions.length; i++) {
    const region = regions[i] as MergeRegion;
    if (region.stable) {
      if (!sameLines(lines.slice(cursor, cursor + region.lines.length), region.lines)) return undefined;
      cursor += region.lines.length;
      continue;
    }
    // The region's resolution runs up to the next stable region's first occurrence.
    const next = regions[i + 1];
    let end = lines.length;
    if (next?.stable) {
      end = -1;
      for (let j = cursor; j + next.lines.length <= lines.length; j++) {
        if (sameLines(lines.slice(j, j + next.lines.length), next.lines)) {
          end = j;
          break;
        }
      }
      if (end < 0) return undefined;
    }
    out.push(lines.slice(cursor, end));
    cursor = end;
  }
  if (cursor !== lines.length) return undefined;
  const resolution = { regions: out };
  return applyPrecedent(regions, resolution) === resolved ? resolution : undefined;
}

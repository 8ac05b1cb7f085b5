/**
 * Three-way line merge (diff3). Pure. The structured strategies, the newer strategy, precedents and the merge
 * driver's conflict markers all work on these regions.
 */
import { diffLines, splitLines } from "./diff.js";

/** Lines every side agrees on (or that only one side changed). */
export interface StableRegion {
  stable: true;
  lines: string[];
}

/** Lines both sides changed differently, with what each side has there. */
export interface ConflictRegion {
  stable: false;
  base: string[];
  ours: string[];
  theirs: string[];
  /** Index of the region's first line in base. */
  baseStart: number;
}

export type MergeRegion = StableRegion | ConflictRegion;

interface SideHunk {
  side: "ours" | "theirs";
  oStart: number;
  oLength: number;
  start: number;
  length: number;
}

/** Splits a three-way merge into stable and conflicting regions (false conflicts — both sides equal — are stable). */
export function mergeRegions(base: readonly string[], ours: readonly string[], theirs: readonly string[]): MergeRegion[] {
  const hunks: SideHunk[] = [];
  for (const h of diffLines(base, ours)) hunks.push({ side: "ours", oStart: h.aStart, oLength: h.aLength, start: h.bStart, length: h.bLength });
  for (const h of diffLines(base, theirs)) hunks.push({ side: "theirs", oStart: h.aStart, oLength: h.aLength, start: h.bStart, length: h.bLength });
  hunks.sort((x, y) => x.oStart - y.oStart || (x.side === y.side ? 0 : x.side === "ours" ? -1 : 1));
  const regions: MergeRegion[] = [];
  const pushStable = (lines: readonly string[]): void => {
    if (lines.length === 0) return;
    const last = regions[regions.length - 1];
    if (last?.stable) last.lines.push(...lines);
    else regions.push({ stable: true, lines: [...lines] });
  };
  let cursor = 0;
  let i = 0;
  while (i < hunks.length) {
    const first = hunks[i] as SideHunk;
    const regionStart = first.oStart;
    let regionEnd = first.oStart + first.oLength;
    const group: SideHunk[] = [first];
    i++;
    while (i < hunks.length) {
      const next = hunks[i] as SideHunk;
      if (next.oStart > regionEnd) break;
      regionEnd = Math.max(regionEnd, next.oStart + next.oLength);
      group.push(next);
      i++;
    }
    pushStable(base.slice(cursor, regionStart));
    if (group.length === 1) {
      const side = first.side === "ours" ? ours : theirs;
      pushStable(side.slice(first.start, first.start + first.length));
    } else {
      const sideSlice = (side: "ours" | "theirs", lines: readonly string[]): string[] => {
        const own = group.filter((h) => h.side === side);
        const firstH = own[0];
        const lastH = own[own.length - 1];
        if (!firstH || !lastH) return base.slice(regionStart, regionEnd);
        // Extend the side's changed span by the unchanged base lines the region covers around it.
        const start = firstH.start - (firstH.oStart - regionStart);
        const end = lastH.start + lastH.length + (regionEnd - (lastH.oStart + lastH.oLength));
        return lines.slice(start, end);
      };
      const o = sideSlice("ours", ours);
      const t = sideSlice("theirs", theirs);
      if (sameLines(o, t)) pushStable(o);
      else regions.push({ stable: false, base: base.slice(regionStart, regionEnd), ours: o, theirs: t, baseStart: regionStart });
    }
    cursor = regionEnd;
  }
  pushStable(base.slice(cursor));
  return regions;
}

export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** The regions of three texts. */
export function mergeTextRegions(base: string, ours: string, theirs: string): MergeRegion[] {
  return mergeRegions(splitLines(base), splitLines(ours), splitLines(theirs));
}

export function conflictRegions(regions: readonly MergeRegion[]): ConflictRegion[] {
  return regions.filter((r): r is ConflictRegion => !r.stable);
}

/**
 * Joins regions, replacing each conflict region with `pick(region, index)`; `undefined` from `pick` aborts
 * (returns undefined): one unresolved region leaves the whole file unresolved.
 */
export function assemble(regions: readonly MergeRegion[], pick: (region: ConflictRegion, index: number) => readonly string[] | undefined): string | undefined {
  const out: string[] = [];
  let index = 0;
  for (const region of regions) {
    if (region.stable) {
      out.push(...region.lines);
      continue;
    }
    const lines = pick(region, index++);
    if (lines === undefined) return undefined;
    out.push(...lines);
  }
  return out.join("");
}

export interface MarkerLabels {
  ours: string;
  theirs: string;
  base?: string | undefined;
}

/** Text with git-style conflict markers (`merge` style, or `diff3` style when a base label is given). */
export function withConflictMarkers(regions: readonly MergeRegion[], labels: MarkerLabels, markerSize = 7): string {
  const lt = "<".repeat(markerSize);
  const eq = "=".repeat(markerSize);
  const gt = ">".repeat(markerSize);
  const bar = "|".repeat(markerSize);
  const ensureEol = (lines: readonly string[]): string[] => {
    const copy = [...lines];
    const last = copy[copy.length - 1];
    if (last !== undefined && !last.endsWith("\n")) copy[copy.length - 1] = `${last}\n`;
    return copy;
  };
  return (
    assemble(regions, (r) => [
      `${lt} ${labels.ours}\n`,
      ...ensureEol(r.ours),
      ...(labels.base !== undefined ? [`${bar} ${labels.base}\n`, ...ensureEol(r.base)] : []),
      `${eq}\n`,
      ...ensureEol(r.theirs),
      `${gt} ${labels.theirs}\n`,
    ]) ?? ""
  );
}

const MARKER_LINE = /^(<{7}( |$)|={7}$|>{7}( |$)|\|{7}( |$))/m;

/** True when text still holds a conflict marker line (a resolution must never contain one). */
export function hasConflictMarkers(text: string): boolean {
  return MARKER_LINE.test(text.replace(/\r\n/g, "\n"));
}

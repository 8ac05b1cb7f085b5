import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffLines } from "../../../src/conflict/diff.js";
import { hunksOverlap, mergeTextRegions, withConflictMarkers, hasConflictMarkers } from "../../../src/conflict/index.js";

describe("line diff and three-way regions", () => {
  it("a diff applied to the old lines gives the new lines, for any input", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 30 }), fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 30 }), (a, b) => {
        const out: string[] = [];
        let i = 0;
        for (const h of diffLines(a, b)) {
          out.push(...a.slice(i, h.aStart), ...b.slice(h.bStart, h.bStart + h.bLength));
          i = h.aStart + h.aLength;
        }
        out.push(...a.slice(i));
        expect(out).toEqual(b);
      }),
    );
  });

  it("changes to different parts of a file do not overlap", () => {
    const base = "a\nb\nc\nd\ne\n";
    expect(hunksOverlap(base, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n").overlaps).toBe(false);
  });

  it("two different edits of one line overlap, with both sides reported", () => {
    const r = hunksOverlap("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n");
    expect(r.overlaps).toBe(true);
    expect(r.hunks).toEqual([{ baseStart: 1, baseLength: 1, base: ["b\n"], ours: ["B1\n"], theirs: ["B2\n"] }]);
  });

  it("the same edit made on both sides is not a conflict", () => {
    expect(hunksOverlap("a\nb\n", "a\nX\n", "a\nX\n").overlaps).toBe(false);
  });

  it("conflict markers look like git's and are detected", () => {
    const marked = withConflictMarkers(mergeTextRegions("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n"), { ours: "ours", theirs: "theirs" });
    expect(marked).toBe("a\n<<<<<<< ours\nB1\n=======\nB2\n>>>>>>> theirs\nc\n");
    expect(hasConflictMarkers(marked)).toBe(true);
    expect(hasConflictMarkers("a = b\n// ===== not a marker\n")).toBe(false);
  });
});

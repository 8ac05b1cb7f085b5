import { describe, expect, it } from "vitest";
import { applyPrecedent, extractPrecedent, mergeTextRegions, shapeHash, chainFor } from "../../../src/conflict/index.js";
import { matchesGlob } from "../../../src/core/index.js";

describe("precedents and rules", () => {
  const base = "head\na\nmid\nb\ntail\n";
  const ours = "head\nA1\nmid\nB1\ntail\n";
  const theirs = "head\nA2\nmid\nB2\ntail\n";

  it("a resolution recorded for a shape resolves the same shape the same way", () => {
    const resolved = "head\nA1\nA2\nmid\nB2\ntail\n";
    const precedent = extractPrecedent(base, ours, theirs, resolved);
    expect(precedent).toEqual({ regions: [["A1\n", "A2\n"], ["B2\n"]] });
    const laterBase = `${base}more\n`;
    const regions = mergeTextRegions(laterBase, `${ours}more\n`, `${theirs}more\n`);
    expect(shapeHash(regions)).toBe(shapeHash(mergeTextRegions(base, ours, theirs)));
    expect(applyPrecedent(regions, precedent!)).toBe(`${resolved}more\n`);
  });

  it("a different conflict has a different shape", () => {
    expect(shapeHash(mergeTextRegions(base, ours, theirs))).not.toBe(shapeHash(mergeTextRegions(base, ours, theirs.replace("A2", "A3"))));
  });

  it("a resolution that rewrote stable lines is not recorded as a precedent", () => {
    expect(extractPrecedent(base, ours, theirs, "HEAD\nA1\nmid\nB1\ntail\n")).toBeUndefined();
  });

  it("the first matching glob decides a path's chain", () => {
    const rules = [{ glob: "**/*.lock", strategies: ["manual" as const] }, { glob: "src/**", strategies: ["merge" as const, "newer" as const] }];
    expect(chainFor("a/b/yarn.lock", rules)).toEqual(["manual"]);
    expect(chainFor("src/x/y.ts", rules)).toEqual(["merge", "newer"]);
    expect(chainFor("README.md", rules)).toEqual(["merge", "structured", "manual"]);
    expect(matchesGlob("docs/a.md", "*.md")).toBe(true);
    expect(matchesGlob("docs/a.md", "docs/?.md")).toBe(true);
    expect(matchesGlob("docs/x/a.md", "docs/*.md")).toBe(false);
  });
});

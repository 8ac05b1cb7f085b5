import { describe, expect, it } from "vitest";
import { structuredMerge } from "../../../src/conflict/strategies/structured.js";
import { higherCompatibleRange } from "../../../src/conflict/semver-range.js";

const pkg = (deps: Record<string, string>, extra: Record<string, unknown> = {}): string => `${JSON.stringify({ name: "app", version: "1.0.0", ...extra, dependencies: deps }, null, 2)}\n`;

describe("structured strategy", () => {
  it("unions dependencies both sides added to package.json, keeping the map sorted", async () => {
    const r = await structuredMerge({ path: "package.json", base: pkg({ a: "^1.0.0" }), ours: pkg({ a: "^1.0.0", c: "^3.0.0" }), theirs: pkg({ a: "^1.0.0", b: "^2.0.0" }) });
    expect(r).toMatchObject({ ok: true, content: pkg({ a: "^1.0.0", b: "^2.0.0", c: "^3.0.0" }) });
  });

  it("takes the higher version of one dependency when both ranges share a major", async () => {
    const r = await structuredMerge({ path: "package.json", base: pkg({ a: "^1.0.0" }), ours: pkg({ a: "^1.2.0" }), theirs: pkg({ a: "^1.4.1" }) });
    expect(r).toMatchObject({ ok: true, content: pkg({ a: "^1.4.1" }) });
  });

  it("refuses one dependency bumped to different majors", async () => {
    const r = await structuredMerge({ path: "package.json", base: pkg({ a: "^1.0.0" }), ours: pkg({ a: "^2.0.0" }), theirs: pkg({ a: "^3.0.0" }) });
    expect(r).toMatchObject({ ok: false });
  });

  it("refuses when both sides change the same JSON value differently", async () => {
    const doc = (v: string): string => `${JSON.stringify({ port: v, host: "x" }, null, 2)}\n`;
    const r = await structuredMerge({ path: "config/app.json", base: doc("1"), ours: doc("2"), theirs: doc("3") });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("port") as unknown });
  });

  it("merges different keys of a JSON file and keeps its indentation", async () => {
    const doc = (o: object): string => `${JSON.stringify(o, null, 4)}\n`;
    const r = await structuredMerge({ path: "a.json", base: doc({ x: 1, w: 0 }), ours: doc({ x: 2, w: 0 }), theirs: doc({ x: 1, w: 5 }) });
    expect(r).toMatchObject({ ok: true, content: doc({ x: 2, w: 5 }) });
  });

  it("refuses a top-level key only one side added (people kept such keys about as often as they dropped them)", async () => {
    const doc = (o: object): string => `${JSON.stringify(o, null, 2)}\n`;
    const r = await structuredMerge({ path: "a.json", base: doc({ x: 1 }), ours: doc({ x: 2 }), theirs: doc({ x: 1, y: 2 }) });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("y: a top-level key") as unknown });
  });

  it("refuses to reformat JSON that is not laid out as JSON.stringify would", async () => {
    const r = await structuredMerge({ path: "a.json", base: '{"x": 1}\n', ours: '{"x": 1, "y": 2}\n', theirs: '{"x": 1, "z": 3}\n' });
    expect(r.ok).toBe(false);
  });

  it("keeps both sides' imports inserted at the same spot, ours first", async () => {
    const base = 'import a from "a";\nimport b from "b";\n\nrun();\n';
    const r = await structuredMerge({ path: "src/x.ts", base, ours: base.replace('"b";\n', '"b";\nimport c from "c";\n'), theirs: base.replace('"b";\n', '"b";\nimport { d } from "./d.js";\n') });
    expect(r).toMatchObject({ ok: true, content: 'import a from "a";\nimport b from "b";\nimport c from "c";\nimport { d } from "./d.js";\n\nrun();\n' });
  });

  it("keeps both Markdown list items and both array entries inserted into a sorted list, in sorted order", async () => {
    const md = await structuredMerge({ path: "README.md", base: "# T\n\n- a\n- b\n- z\n", ours: "# T\n\n- a\n- b\n- d\n- z\n", theirs: "# T\n\n- a\n- b\n- c\n- z\n" });
    expect(md).toMatchObject({ ok: true, content: "# T\n\n- a\n- b\n- c\n- d\n- z\n" });
    const arr = await structuredMerge({ path: "r.ts", base: "const r = [\n  a,\n  b,\n];\n", ours: "const r = [\n  a,\n  b,\n  d,\n];\n", theirs: "const r = [\n  a,\n  b,\n  c,\n];\n" });
    expect(arr).toMatchObject({ ok: true, content: "const r = [\n  a,\n  b,\n  c,\n  d,\n];\n" });
  });

  it("refuses two insertions at one spot of an unsorted list: their order is a person's choice", async () => {
    const md = await structuredMerge({ path: "README.md", base: "# T\n\n- one\n", ours: "# T\n\n- one\n- two\n", theirs: "# T\n\n- one\n- three\n" });
    expect(md).toMatchObject({ ok: false, reason: expect.stringContaining("not sorted") as unknown });
  });

  it("refuses when one side changed an existing line next to the other's insertion", async () => {
    const base = 'import a from "a";\n\nrun(1);\n';
    const r = await structuredMerge({ path: "x.ts", base, ours: 'import a from "a";\n\nrun(2);\n', theirs: 'import a from "a";\n\nrun(3);\n' });
    expect(r.ok).toBe(false);
  });

  it("refuses code statements inserted at the same spot", async () => {
    const base = "function f() {\n  return 1;\n}\n";
    const r = await structuredMerge({ path: "x.ts", base, ours: "function f() {\n  let x = 1;\n  return 1;\n}\n", theirs: "function f() {\n  let y = 2;\n  return 1;\n}\n" });
    expect(r.ok).toBe(false);
  });

  it("refuses the same entry inserted by both sides next to different ones", async () => {
    const base = "- a\n";
    const r = await structuredMerge({ path: "l.md", base, ours: "- a\n- b\n- c\n", theirs: "- a\n- b\n- d\n" });
    expect(r.ok).toBe(false);
  });

  it("semver: only same-operator, same-major ranges resolve", () => {
    expect(higherCompatibleRange("^1.2.0", "^1.10.0")).toBe("^1.10.0");
    expect(higherCompatibleRange("^0.2.0", "^0.3.0")).toBeUndefined();
    expect(higherCompatibleRange("~1.2.0", "^1.3.0")).toBeUndefined();
    expect(higherCompatibleRange("1.2.0", "1.3.0")).toBeUndefined();
    expect(higherCompatibleRange("latest", "^1.0.0")).toBeUndefined();
  });
});

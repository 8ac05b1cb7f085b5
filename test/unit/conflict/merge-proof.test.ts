import { describe, expect, it } from "vitest";
import { parseDiff3 } from "../../../src/conflict/git-merge-file.js";
import { repeatedBlock, refuseMergedText } from "../../../src/conflict/result-checks.js";
import { resolveFile } from "../../../src/conflict/resolve-file.js";
import { structuredMerge } from "../../../src/conflict/strategies/structured.js";
import { higherVersion } from "../../../src/conflict/semver-range.js";

const pkg = (o: object): string => `${JSON.stringify(o, null, 2)}\n`;

describe("structured merge on git's own conflict hunks", () => {
  it("reads git's diff3 output back into merged lines and conflict hunks", () => {
    const regions = parseDiff3("a\n<<<<<<< ours\nb\n||||||| base\nx\n=======\nc\n>>>>>>> theirs\nd\n");
    expect(regions).toEqual([
      { stable: true, lines: ["a\n"] },
      { stable: false, ours: ["b\n"], base: ["x\n"], theirs: ["c\n"], baseStart: 1 },
      { stable: true, lines: ["d\n"] },
    ]);
  });

  it("merges a hunk whose sides differ only in blank lines: one deleted a line, the other blanked it", async () => {
    const base = "a\nold\nb\n";
    const r = await structuredMerge({ path: "notes.txt", base, ours: "a\nb\n", theirs: "a\n\nb\n" });
    expect(r).toMatchObject({ ok: true, content: "a\nb\n" });
  });

  it("merges files none of whose sides ends with a newline, and keeps it that way", async () => {
    const r = await structuredMerge({ path: "notes.txt", base: "a\nold\nb", ours: "a\nb", theirs: "a\n\nb" });
    expect(r).toMatchObject({ ok: true, content: "a\nb" });
  });

  it("puts two new release sections at the top of a changelog, newest first", async () => {
    const base = "# Changelog\n\n## 1.0.0\n\n- first\n";
    const ours = "# Changelog\n\n## 1.1.0\n\n- feature\n\n## 1.0.0\n\n- first\n";
    const theirs = "# Changelog\n\n## 1.2.0\n\n- other\n\n## 1.0.0\n\n- first\n";
    const r = await structuredMerge({ path: "CHANGELOG.md", base, ours, theirs });
    expect(r).toMatchObject({ ok: true, content: "# Changelog\n\n## 1.2.0\n\n- other\n\n## 1.1.0\n\n- feature\n\n## 1.0.0\n\n- first\n" });
  });

  it("refuses new changelog sections of two release lines (a maintenance branch merged into the next major)", async () => {
    const base = "# Changelog\n\n## 4.0.0\n\n- first\n";
    const r = await structuredMerge({ path: "CHANGELOG.md", base, ours: base.replace("## 4.0.0", "## 5.0.0-beta.1\n\n- next\n\n## 4.0.0"), theirs: base.replace("## 4.0.0", "## 4.0.1\n\n- fix\n\n## 4.0.0") });
    expect(r.ok).toBe(false);
  });

  it("merges a sorted import list as a set: one side's removal and both sides' additions, sort order kept", async () => {
    const base = 'import a from "a";\nimport c from "c";\nimport e from "e";\n\nrun();\n';
    const ours = 'import a from "a";\nimport b from "b";\nimport e from "e";\n\nrun();\n';
    const theirs = 'import a from "a";\nimport c from "c";\nimport d from "d";\nimport e from "e";\n\nrun();\n';
    const r = await structuredMerge({ path: "src/x.ts", base, ours, theirs });
    expect(r).toMatchObject({ ok: true, content: 'import a from "a";\nimport b from "b";\nimport d from "d";\nimport e from "e";\n\nrun();\n' });
  });

  it("refuses an import both sides changed differently", async () => {
    const base = 'import { a } from "m";\n\nrun();\n';
    const r = await structuredMerge({ path: "src/x.ts", base, ours: 'import { a, b } from "m";\n\nrun();\n', theirs: 'import { a, c } from "m";\n\nrun();\n' });
    expect(r.ok).toBe(false);
  });
});

describe("insertions at one spot of an unsorted list in kappa's own merges", () => {
  it("go in the tasks' finish order, the earlier task's entry first", async () => {
    const file = { path: "TASKS.md", base: "# Tasks\n\n- a\n", ours: "# Tasks\n\n- a\n- z\n", theirs: "# Tasks\n\n- a\n- b\n" };
    const signal = new AbortController().signal;
    const oursEarlier = await resolveFile(file, { chain: ["structured"], binary: false, finishedAt: { ours: 1, theirs: 2 }, signal });
    expect(oursEarlier).toMatchObject({ ok: true, content: "# Tasks\n\n- a\n- z\n- b\n" });
    const theirsEarlier = await resolveFile(file, { chain: ["structured"], binary: false, finishedAt: { ours: 3, theirs: 2 }, signal });
    expect(theirsEarlier).toMatchObject({ ok: true, content: "# Tasks\n\n- a\n- b\n- z\n" });
    const unknown = await resolveFile(file, { chain: ["structured"], binary: false, signal });
    expect(unknown.ok).toBe(false);
  });
});

describe("the proof every merged text must pass", () => {
  it("finds a block of two lines the result has twice and neither side has twice", () => {
    const side = "function f() {\n  return 1;\n}\n";
    expect(repeatedBlock(`${side}\n${side}`, [side, side])).toBeDefined();
    expect(repeatedBlock(`${side}\n${side}`, [`${side}\n${side}`, side])).toBeUndefined();
  });

  it("refuses a TypeScript result that does not parse while both sides do", async () => {
    const reason = await refuseMergedText({ path: "a.ts", ours: "const a = 1;\n", theirs: "const b = 2;\n", result: "const a = (1;\n" });
    expect(reason).toContain("does not parse");
  });

  it("refuses a result that declares a top-level name twice", async () => {
    const reason = await refuseMergedText({ path: "a.js", ours: "function f() {}\nf();\n", theirs: "function f() { return 2; }\n", result: "function f() {}\nfunction f() { return 2; }\nf();\n" });
    expect(reason).toContain("declares f 2 times");
  });

  it("refuses YAML that no longer parses", async () => {
    const reason = await refuseMergedText({ path: ".travis.yml", ours: "a: 1\n", theirs: "b: 2\n", result: "a: 1\n  b: [\n" });
    expect(reason).toContain("YAML");
  });

  it("holds an agent's answer to the same proof: a duplicated block is refused like a marker", async () => {
    const base = "function f() {\n  return 1;\n}\n";
    const ours = "function f() {\n  return 2;\n}\n";
    const theirs = "function f() {\n  return 3;\n}\n";
    const signal = new AbortController().signal;
    const context = { runId: "r", taskId: "t", taskTitle: "t", finishedAt: { ours: 0, theirs: 0 } };
    const withAnswer = (content: string): Parameters<typeof resolveFile>[1] => ({ chain: ["agent"], binary: false, agent: () => Promise.resolve({ content }), repo: "/tmp", context, signal });
    const duplicated = await resolveFile({ path: "f.js", base, ours, theirs }, withAnswer(`${ours}${theirs}`));
    expect(duplicated).toMatchObject({ ok: false, tried: [{ strategy: "agent", reason: expect.stringContaining("declares f 2 times") as unknown }] });
    const marked = await resolveFile({ path: "f.js", base, ours, theirs }, withAnswer(`<<<<<<< ours\n${ours}=======\n${theirs}>>>>>>> theirs\n`));
    expect(marked).toMatchObject({ ok: false, tried: [{ strategy: "agent", reason: expect.stringContaining("markers") as unknown }] });
    const good = await resolveFile({ path: "f.js", base, ours, theirs }, withAnswer("function f() {\n  return 5;\n}\n"));
    expect(good).toMatchObject({ ok: true, strategy: "agent" });
  });
});

describe("package.json", () => {
  it("keeps the higher version when both sides changed `version` (the default), the integration side's on request, or refuses", async () => {
    const file = { path: "package.json", base: pkg({ name: "p", version: "1.0.0" }), ours: pkg({ name: "p", version: "1.0.1" }), theirs: pkg({ name: "p", version: "1.1.0" }) };
    expect(await structuredMerge(file)).toMatchObject({ ok: true, content: pkg({ name: "p", version: "1.1.0" }) });
    expect(await structuredMerge(file, { versionConflict: "integration" })).toMatchObject({ ok: true, content: pkg({ name: "p", version: "1.0.1" }) });
    expect(await structuredMerge(file, { versionConflict: "manual" })).toMatchObject({ ok: false });
  });

  it("compares versions with prereleases, and refuses two prereleases of one release", () => {
    expect(higherVersion("5.0.0-beta.1", "4.19.2")).toBe("5.0.0-beta.1");
    expect(higherVersion("1.0.0", "1.0.0-rc.1")).toBe("1.0.0");
    expect(higherVersion("7.0.0-alpha.45", "7.0.0-alpha.44-patch2")).toBeUndefined();
  });

  it("refuses scripts both sides changed: one script's meaning may depend on another", async () => {
    const base = pkg({ name: "p", scripts: { a: "x", b: "y" } });
    const r = await structuredMerge({ path: "package.json", base, ours: pkg({ name: "p", scripts: { a: "x2", b: "y" } }), theirs: pkg({ name: "p", scripts: { a: "x", b: "y", c: "z" } }) });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("scripts") as unknown });
  });

  it("keeps a map sorted when one side sorted its keys", async () => {
    const base = pkg({ dependencies: { c: "1", a: "1", b: "1" } });
    const r = await structuredMerge({ path: "package.json", base, ours: pkg({ dependencies: { a: "1", b: "1", c: "1" } }), theirs: pkg({ dependencies: { c: "1", a: "1", b: "1", d: "1" } }) });
    expect(r).toMatchObject({ ok: true, content: pkg({ dependencies: { a: "1", b: "1", c: "1", d: "1" } }) });
  });
});

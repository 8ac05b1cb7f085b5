import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { changedFiles, mergeIntoBranch, mergeTree, type AgentResolver } from "../../../src/conflict/index.js";
import type { StrategyRule } from "../../../src/core/index.js";
import { context, scenario, type Scenario } from "./fixtures.js";

const DEFAULT: StrategyRule[] = [{ glob: "**", strategies: ["merge", "structured", "manual"] }];
const signal = AbortSignal.timeout(60_000);
const pkg = (deps: Record<string, string>): string => `${JSON.stringify({ name: "app", version: "1.0.0", dependencies: deps }, null, 2)}\n`;

let s: Scenario;
afterEach(() => s.cleanup());

async function mergeTask(taskId: string, rules = DEFAULT, agent?: AgentResolver, finishedAt?: { ours: number; theirs: number }) {
  return mergeIntoBranch({ repo: s.dir, branch: "integration", theirs: taskId, message: `Merge task ${taskId}`, rules, context: context(taskId, finishedAt), agent, signal });
}

describe("merging a task into the integration branch", () => {
  it("a clean merge becomes a two-parent commit that records its strategy, with nothing checked out", async () => {
    s = scenario({ "a.txt": "a\n", "b.txt": "b\n" });
    s.branch("t1", "main", { "a.txt": "A\n" });
    s.branch("t2", "main", { "b.txt": "B\n" });
    const before = s.worktreeStatus();
    expect((await mergeTask("t1")).status).toBe("merged");
    const out = await mergeTask("t2");
    expect(out).toMatchObject({ status: "merged", strategy: "merge" });
    const commit = out.status === "merged" ? out.commit : "";
    expect(await changedFiles(s.dir, out.status === "merged" ? out.previous : "", commit, signal)).toEqual(["b.txt"]);
    expect(s.head("integration")).toBe(commit);
    expect(gitIn(s.dir, "rev-list", "--parents", "-n1", commit).split(" ")).toHaveLength(3);
    expect(gitIn(s.dir, "log", "-1", "--format=%B", commit)).toContain("Kappa-Strategy: merge");
    expect(s.show("integration", "a.txt") + s.show("integration", "b.txt")).toBe("A\nB\n");
    expect(s.worktreeStatus()).toBe(before);
    expect(gitIn(s.dir, "branch", "--list", "t1", "t2")).toContain("t1");
  });

  it("mergeTree reports modify/delete and add/add conflicts with each side's blob", async () => {
    s = scenario({ "g.txt": "x\n" });
    const o = s.branch("o", "main", { "g.txt": null, "n.txt": "1\n" });
    const t = s.branch("t", "main", { "g.txt": "y\n", "n.txt": "2\n" });
    const r = await mergeTree({ repo: s.dir, ours: o, theirs: t, signal });
    expect(r.clean).toBe(false);
    const byPath = Object.fromEntries(r.conflicts.map((c) => [c.path, c]));
    expect(byPath["g.txt"]).toMatchObject({ base: expect.any(String) as unknown, theirs: expect.any(String) as unknown, types: ["modify/delete"] });
    expect(byPath["g.txt"]?.ours).toBeUndefined();
    expect(byPath["n.txt"]).toMatchObject({ types: ["add/add"] });
    expect(byPath["n.txt"]?.base).toBeUndefined();
    expect(r.mergeBase).toBe(s.head("main"));
  });

  it("package.json dependencies added by two tasks are merged as a union", async () => {
    s = scenario({ "package.json": pkg({ a: "^1.0.0" }) });
    s.branch("t1", "main", { "package.json": pkg({ a: "^1.0.0", zod: "^4.0.0" }) });
    s.branch("t2", "main", { "package.json": pkg({ a: "^1.0.0", commander: "^15.0.0" }) });
    await mergeTask("t1");
    const out = await mergeTask("t2");
    expect(out).toMatchObject({ status: "merged", strategy: "structured", strategies: { "package.json": "structured" } });
    expect(s.show("integration", "package.json")).toBe(pkg({ a: "^1.0.0", commander: "^15.0.0", zod: "^4.0.0" }));
    expect(gitIn(s.dir, "log", "-1", "--format=%B", "integration")).toContain("package.json: structured");
  });

  it("the same dependency on different majors is a conflict and the integration branch does not move", async () => {
    s = scenario({ "package.json": pkg({ a: "^1.0.0" }) });
    s.branch("t1", "main", { "package.json": pkg({ a: "^2.0.0" }) });
    s.branch("t2", "main", { "package.json": pkg({ a: "^3.0.0" }) });
    await mergeTask("t1");
    const before = s.head("integration");
    const out = await mergeTask("t2");
    expect(out).toMatchObject({ status: "conflict", files: ["package.json"] });
    expect(s.head("integration")).toBe(before);
    if (out.status === "conflict") expect(out.conflicts[0]).toMatchObject({ ours: pkg({ a: "^2.0.0" }), theirs: pkg({ a: "^3.0.0" }), kind: "content" });
  });

  it("both sides changing one JSON value differently is a conflict", async () => {
    const doc = (port: number): string => `${JSON.stringify({ port, host: "h" }, null, 2)}\n`;
    s = scenario({ "app.json": doc(1) });
    s.branch("t1", "main", { "app.json": doc(2) });
    s.branch("t2", "main", { "app.json": doc(3) });
    await mergeTask("t1");
    expect(await mergeTask("t2")).toMatchObject({ status: "conflict", files: ["app.json"] });
  });

  it("imports both tasks added at the same spot are both kept", async () => {
    const base = 'import a from "a";\n\nexport const x = a;\n';
    s = scenario({ "src/index.ts": base });
    s.branch("t1", "main", { "src/index.ts": base.replace('"a";\n', '"a";\nimport b from "b";\n') });
    s.branch("t2", "main", { "src/index.ts": base.replace('"a";\n', '"a";\nimport c from "c";\n') });
    await mergeTask("t1");
    expect(await mergeTask("t2")).toMatchObject({ status: "merged", strategy: "structured" });
    expect(s.show("integration", "src/index.ts")).toBe('import a from "a";\nimport b from "b";\nimport c from "c";\n\nexport const x = a;\n');
  });

  it("newer takes the later task's hunk only where a rule names it", async () => {
    s = scenario({ "notes.txt": "title\nbody\nend\n" });
    s.branch("t1", "main", { "notes.txt": "TITLE1\nbody\nend\n" });
    s.branch("t2", "main", { "notes.txt": "TITLE2\nbody\nEND2\n" });
    await mergeTask("t1");
    expect(await mergeTask("t2")).toMatchObject({ status: "conflict" });
    const rules: StrategyRule[] = [{ glob: "*.txt", strategies: ["merge", "newer"] }];
    expect(await mergeTask("t2", rules, undefined, { ours: 5, theirs: 9 })).toMatchObject({ status: "merged", strategy: "newer" });
    expect(s.show("integration", "notes.txt")).toBe("TITLE2\nbody\nEND2\n");
  });

  it("newer keeps a file deleted on one side when the deleting task finished later", async () => {
    s = scenario({ "old.txt": "x\n" });
    s.branch("t1", "main", { "old.txt": "changed\n" });
    s.branch("t2", "main", { "old.txt": null });
    await mergeTask("t1");
    expect(await mergeTask("t2", [{ glob: "**", strategies: ["newer"] }], undefined, { ours: 1, theirs: 2 })).toMatchObject({ status: "merged" });
    expect(gitIn(s.dir, "ls-tree", "--name-only", "integration")).not.toContain("old.txt");
  });

  it("the agent resolves what the other strategies refused, and markers in its answer are refused", async () => {
    s = scenario({ "f.ts": "x = 1\n" });
    s.branch("t1", "main", { "f.ts": "x = 2\n" });
    s.branch("t2", "main", { "f.ts": "x = 3\n" });
    await mergeTask("t1");
    const rules: StrategyRule[] = [{ glob: "**", strategies: ["merge", "structured", "agent", "manual"] }];
    const inputs: unknown[] = [];
    const marked: AgentResolver = () => Promise.resolve({ content: "<<<<<<< ours\nx = 2\n=======\nx = 3\n>>>>>>> theirs\n" });
    const out1 = await mergeTask("t2", rules, marked);
    expect(out1).toMatchObject({ status: "conflict" });
    if (out1.status === "conflict") expect(out1.conflicts[0]?.tried.map((t) => t.strategy)).toEqual(["merge", "structured", "agent", "manual"]);
    const agent: AgentResolver = (input) => {
      inputs.push({ path: input.path, ours: input.ours, theirs: input.theirs, task: input.context.taskId });
      return Promise.resolve({ content: "x = 5 // 2 + 3\n" });
    };
    expect(await mergeTask("t2", rules, agent)).toMatchObject({ status: "merged", strategy: "agent" });
    expect(inputs).toEqual([{ path: "f.ts", ours: "x = 2\n", theirs: "x = 3\n", task: "t2" }]);
    expect(s.show("integration", "f.ts")).toBe("x = 5 // 2 + 3\n");
  });

  it("a merge that loses the race for the branch is redone on the new head", async () => {
    s = scenario({ "f.ts": "x = 1\n", "g.ts": "g\n" });
    s.branch("t1", "main", { "f.ts": "x = 2\n" });
    s.branch("t2", "main", { "f.ts": "x = 3\n" });
    const other = s.branch("t3", "main", { "g.ts": "G\n" });
    await mergeTask("t1");
    let calls = 0;
    const agent: AgentResolver = () => {
      // Another process merges t3 while this merge is being computed.
      if (calls++ === 0) gitIn(s.dir, "update-ref", "refs/heads/integration", gitIn(s.dir, "commit-tree", gitIn(s.dir, "merge-tree", "--write-tree", "integration", other), "-p", "integration", "-p", other, "-m", "other"));
      return Promise.resolve({ content: "x = 5\n" });
    };
    const out = await mergeTask("t2", [{ glob: "**", strategies: ["agent"] }], agent);
    expect(out).toMatchObject({ status: "merged" });
    expect(calls).toBe(2);
    expect(s.show("integration", "g.ts") + s.show("integration", "f.ts")).toBe("G\nx = 5\n");
  });
});

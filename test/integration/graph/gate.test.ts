import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { ndjson, project, type Event, type Project } from "./pipeline-helpers.js";

describe("the verification gate (testCommand after each merge)", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
  });

  it("reverts a merge that breaks the tests and retries the task, which then merges", async () => {
    // The first attempt leaves a file the project's tests reject; the retry removes it. The count lives in the
    // task's session HOME, the one place besides its worktree that its sandbox lets it write and that outlasts
    // an attempt.
    const counter = '"$HOME/attempts"';
    const template = `n=$(cat ${counter} 2>/dev/null || echo 0); echo $((n+1)) > ${counter}; if [ "$n" = 0 ]; then touch bad.txt; else rm -f bad.txt; fi; echo {taskId} > {taskId}.txt`;
    p = await project([{ id: "feature" }, { id: "after", dependsOn: ["feature"] }], template, { KAPPA_TEST_COMMAND: "test ! -f bad.txt", KAPPA_GATE_RETRIES: "1" });
    const res = await p.kappa("--json", "run", "--plan", p.plan);
    const events = ndjson(res.stdout);
    const types = events.filter((e) => e.taskId === "feature").map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["gate:failed", "merge:reverted", "gate:passed", "merge:done"]));
    expect(types.indexOf("merge:reverted")).toBeLessThan(types.indexOf("merge:done"));
    expect(events.filter((e) => e.type === "task:started" && e.taskId === "feature").map((e) => e.attempt)).toEqual([1, 2]);
    const last = events.at(-1) as Event & { status: string; integrationBranch: string };
    expect(last).toMatchObject({ type: "run:finished", status: "completed" });
    expect(gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch).split("\n")).not.toContain("bad.txt");
    expect(res.code).toBe(0);
  });

  it("fails a task whose merge keeps failing the gate, puts the branch back and skips its dependents", async () => {
    p = await project([{ id: "feature" }, { id: "after", dependsOn: ["feature"] }], "touch bad.txt; echo {taskId} > {taskId}.txt", { KAPPA_TEST_COMMAND: "test ! -f bad.txt", KAPPA_GATE_RETRIES: "1" });
    const base = gitIn(p.dir, "rev-parse", "HEAD");
    const res = await p.kappa("--json", "run", "--plan", p.plan);
    expect(res.code).toBe(1);
    const events = ndjson(res.stdout);
    expect(events.filter((e) => e.type === "merge:reverted")).toHaveLength(2);
    const last = events.at(-1) as Event & { status: string; integrationBranch: string; tasks: { failed: string[]; skipped: string[] } };
    expect(last).toMatchObject({ status: "failed", tasks: { failed: ["feature"], skipped: ["after"] } });
    expect(gitIn(p.dir, "rev-parse", last.integrationBranch)).toBe(base);
    // The task's work is not lost: it stays on its branch.
    expect(gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch.replace(/main$/, "feature")).split("\n")).toContain("bad.txt");
  });
});

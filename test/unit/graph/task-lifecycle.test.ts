import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IllegalTransitionError, StaleAttemptError, type TaskStatus } from "../../../src/core/index.js";
import { MemoryTaskStore } from "../../../src/graph/memory-task-store.js";
import { lifecycleMermaid, TRANSITIONS, type TransitionArgs, type TransitionName } from "../../../src/graph/task-lifecycle.js";
import { memoryPlan, pendingRows } from "../../helpers/memory-run.js";

const STATUSES: TaskStatus[] = ["pending", "running", "completed", "merged", "failed", "skipped", "waiting"];

const ARGS: { [N in TransitionName]: TransitionArgs[N] } = {
  start: { worktree: "/w/a", branch: "kappa/r1/a", startedAt: new Date(0) },
  sessionEnded: { headCommit: "abc", finishedAt: new Date(1), durationMs: 1 },
  merged: { mergeCommit: "m", mergeStrategy: "merge" },
  waitForReview: { reason: "conflict 1" },
  resolved: { mergeCommit: "m", mergeStrategy: "manual" },
  fail: { reason: "boom", finishedAt: new Date(2) },
  skip: { reason: "depends on b, which failed" },
  interrupt: { cause: "crash", reason: "interrupted by a crash; restarting" },
  retry: { reason: "gate failed", feedback: "tests failed" },
};

function storeAt(status: TaskStatus, attempts = 1): MemoryTaskStore {
  const [row] = pendingRows(memoryPlan([{ id: "a" }]));
  return new MemoryTaskStore([{ ...row!, status, attempts }]);
}

describe("the task lifecycle", () => {
  it("docs/task-lifecycle.md draws exactly the transition table", () => {
    const doc = readFileSync(new URL("../../../docs/task-lifecycle.md", import.meta.url), "utf8");
    const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(diagram).toBe(lifecycleMermaid());
  });

  it("allows each transition from exactly the statuses it lists, and refuses the others without writing", async () => {
    for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
      for (const status of STATUSES) {
        const store = storeAt(status);
        const attempt = store.transition(name, { id: "a", attempts: 1 }, ARGS[name]);
        if ((TRANSITIONS[name].from as readonly TaskStatus[]).includes(status)) {
          await expect(attempt).resolves.toMatchObject({ status: TRANSITIONS[name].to });
        } else {
          await expect(attempt, `${name} from ${status}`).rejects.toBeInstanceOf(IllegalTransitionError);
          expect(store.get("a").status).toBe(status);
        }
      }
    }
  });

  it("refuses a transition of an older attempt, also one its status would allow", async () => {
    const store = storeAt("running", 2);
    await expect(store.transition("sessionEnded", { id: "a", attempts: 1 }, ARGS.sessionEnded)).rejects.toBeInstanceOf(StaleAttemptError);
    expect(store.get("a")).toMatchObject({ status: "running", attempts: 2, headCommit: null });
  });

  it("gives every start a new attempt number", async () => {
    const store = storeAt("pending", 0);
    expect((await store.transition("start", { id: "a", attempts: 0 }, ARGS.start)).attempts).toBe(1);
    await store.transition("interrupt", { id: "a", attempts: 1 }, ARGS.interrupt);
    expect((await store.transition("start", { id: "a", attempts: 1 }, ARGS.start)).attempts).toBe(2);
  });

  it("can reach every status the run summary counts, starting from pending", () => {
    const reached = new Set<TaskStatus>(["pending"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const rule of Object.values(TRANSITIONS)) {
        if (rule.from.some((s) => reached.has(s)) && !reached.has(rule.to)) {
          reached.add(rule.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...STATUSES].sort());
  });
});

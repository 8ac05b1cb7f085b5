import { describe, expect, it } from "vitest";
import { executeTasks, RunStoppedError } from "../../../src/graph/execute-loop.js";
import { CrashedError, Disk, MemoryProcess, memoryPlan, ok, pendingRows, type SessionScript, type TaskSpec } from "../../helpers/memory-run.js";

function world(specs: TaskSpec[], scripts: Record<string, SessionScript> = {}): MemoryProcess {
  const plan = memoryPlan(specs);
  return new MemoryProcess(plan, new Disk(), pendingRows(plan), scripts);
}

const statuses = async (p: MemoryProcess): Promise<Record<string, string>> => Object.fromEntries((await p.store.list()).map((t) => [t.id, t.status]));
const mergesOf = (p: MemoryProcess, id: string): number => p.disk.merges.filter((m) => m.taskId === id).length;

describe("the execute loop over in-memory ports", () => {
  it("runs each task once, after its dependencies, and merges every one", async () => {
    const p = world([{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a"] }]);
    await expect(executeTasks(p.deps())).resolves.toBe("done");
    expect(await statuses(p)).toEqual({ a: "merged", b: "merged", c: "merged" });
    expect(p.sessions.map((s) => s.taskId)[0]).toBe("a");
    expect(p.disk.merges.map((m) => m.taskId).sort()).toEqual(["a", "b", "c"]);
    expect(p.disk.worktrees.size).toBe(0);
  });

  it("skips every dependent of a failed task, never starts them, and merges the rest", async () => {
    const failing: SessionScript = () => Promise.resolve({ ...ok, ok: false, reason: "the agent gave up", errorKind: "agent_error" });
    const p = world([{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["b"] }, { id: "d" }], { a: failing });
    await executeTasks(p.deps());
    expect(await statuses(p)).toEqual({ a: "failed", b: "skipped", c: "skipped", d: "merged" });
    expect(p.sessions.map((s) => s.taskId).sort()).toEqual(["a", "d"]);
    expect(p.store.get("a")).toMatchObject({ reason: "the agent gave up", headCommit: "a#1" });
  });

  it("after a crash in the middle of a merge, resume finds that merge instead of merging again and finishes without re-running the task", async () => {
    const first = world([{ id: "a" }, { id: "b", dependsOn: ["a"] }]);
    first.afterMerge = (id) => id === "a" && first.crash();
    await expect(executeTasks(first.deps())).rejects.toThrow(CrashedError);
    expect(first.store.get("a").status).toBe("completed"); // the branch moved, the row not yet

    const second = await first.next();
    await expect(executeTasks(second.deps())).resolves.toBe("done");
    expect(await statuses(second)).toEqual({ a: "merged", b: "merged" });
    expect(mergesOf(second, "a")).toBe(1);
    expect(second.store.get("a").mergeCommit).toBe(second.disk.merges[0]?.commit);
    expect(second.sessions.map((s) => s.taskId)).toEqual(["b"]);
  });

  it("resume releases the worktree of a task merged just before the crash", async () => {
    const first = world([{ id: "a" }, { id: "b", dependsOn: ["a"] }]);
    first.bus.on("merge:done", (e) => e.taskId === "a" && first.crash());
    await expect(executeTasks(first.deps())).rejects.toThrow(CrashedError);
    expect(first.disk.worktrees.has("/worktrees/a")).toBe(true);

    const second = await first.next();
    await executeTasks(second.deps());
    expect(second.released).toContain("/worktrees/a");
    expect(second.disk.worktrees.size).toBe(0);
    expect(second.store.get("a").worktree).toBeNull();
  });

  it("on stop lets the running task finish and merge, starts nothing new, and resume runs the rest", async () => {
    const specs = [{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }];
    const first = world(specs, {
      a: () => {
        first.control.stop("Ctrl-C");
        return Promise.resolve(ok);
      },
    });
    await expect(executeTasks({ ...first.deps(), maxParallel: 1 })).rejects.toThrow(RunStoppedError);
    expect(await statuses(first)).toEqual({ a: "merged", b: "pending", c: "pending" });

    const second = await first.next({});
    await expect(executeTasks(second.deps())).resolves.toBe("done");
    expect(await statuses(second)).toEqual({ a: "merged", b: "merged", c: "merged" });
    expect(second.sessions.map((s) => s.taskId).sort()).toEqual(["b", "c"]);
  });

  it("on cancel aborts the running session, keeps its work, and resume continues its conversation in a new attempt", async () => {
    const first = world([{ id: "a" }], {
      a: (call) =>
        new Promise((resolve) => {
          call.signal.addEventListener("abort", () => resolve({ ...ok, ok: false, reason: "aborted", errorKind: "aborted" }));
          first.control.abort("cancelled with `kappa cancel`");
        }),
    });
    await expect(executeTasks(first.deps())).rejects.toThrow(RunStoppedError);
    expect(first.store.get("a")).toMatchObject({ status: "pending", interruptedBy: "stop", headCommit: "a#1", attempts: 1 });

    const second = await first.next({});
    await executeTasks(second.deps());
    expect(second.sessions).toMatchObject([{ taskId: "a", attempt: 2, continueConversation: true }]);
    expect(second.store.get("a")).toMatchObject({ status: "merged", attempts: 2, interruptedBy: null });
  });

  it("ignores the late result of an attempt that another process has started again since: nothing is merged for it", async () => {
    const p = world([{ id: "a" }], {
      a: async () => {
        // Meanwhile another orchestrator took the task over: its attempt 1 was interrupted and attempt 2 started.
        await p.store.transition("interrupt", { id: "a", attempts: 1 }, { cause: "crash", reason: "interrupted by a crash; restarting" });
        await p.store.transition("start", { id: "a", attempts: 1 }, { worktree: "/elsewhere/a", branch: "kappa/r1/a", startedAt: new Date() });
        return ok;
      },
    });
    await expect(executeTasks(p.deps())).resolves.toBe("done");
    expect(p.disk.merges).toEqual([]);
    expect(p.store.get("a")).toMatchObject({ status: "running", attempts: 2, worktree: "/elsewhere/a" });
    expect(p.eventsOf("task:completed")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { EventBus, type KappaEvents, type Plan, type PlannedTask } from "../../../src/core/index.js";
import { ConflictPredictor, predictOverlaps, serializeOverlaps } from "../../../src/conflict/index.js";

const task = (id: string, files: string[], dependsOn: string[] = []): PlannedTask => ({
  id, title: id, prompt: id, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn, files, acceptance: [], requirements: [],
});

describe("conflict prediction", () => {
  it("emits conflict:predicted once when two running tasks touch the same file", () => {
    const bus = new EventBus();
    const seen: KappaEvents["conflict:predicted"][] = [];
    bus.on("conflict:predicted", (e) => seen.push(e));
    new ConflictPredictor(bus, "r1").attach();
    bus.emit("task:started", { runId: "r1", taskId: "a", attempt: 1, worktree: "/w/a" });
    bus.emit("task:started", { runId: "r1", taskId: "b", attempt: 1, worktree: "/w/b" });
    const edit = (taskId: string, file: string): void => bus.emit("session:output", { runId: "r1", taskId, sessionId: "s", kind: "tool_use", text: "", tool: "Edit", files: [file] });
    edit("a", "/w/a/src/app.ts");
    edit("b", "/w/b/src/other.ts");
    expect(seen).toEqual([]);
    edit("b", "src/app.ts");
    edit("a", "/w/a/src/app.ts");
    expect(seen.map((e) => ({ taskIds: e.taskIds, file: e.file }))).toEqual([{ taskIds: ["a", "b"], file: "src/app.ts" }]);
  });

  it("does not predict a conflict with a task that already finished", () => {
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.on("conflict:predicted", (e) => seen.push(e));
    new ConflictPredictor(bus, "r1").attach();
    bus.emit("task:started", { runId: "r1", taskId: "a", attempt: 1, worktree: "/w/a" });
    bus.emit("session:output", { runId: "r1", taskId: "a", sessionId: "s", kind: "tool_use", text: "", files: ["x.ts"] });
    bus.emit("task:completed", { runId: "r1", taskId: "a", attempt: 1, durationMs: 1, costUsd: 0, filesChanged: [] });
    bus.emit("task:started", { runId: "r1", taskId: "b", attempt: 1, worktree: "/w/b" });
    bus.emit("session:output", { runId: "r1", taskId: "b", sessionId: "s", kind: "tool_use", text: "", files: ["x.ts"] });
    expect(seen).toEqual([]);
  });

  it("predicts overlaps only between tasks that may run at the same time", () => {
    const tasks = [task("a", ["src/app.ts", "README.md"]), task("b", ["src/app.ts"]), task("c", ["README.md"], ["a"]), task("d", ["src/"])];
    expect(predictOverlaps(tasks)).toEqual([
      { file: "src/", taskIds: ["a", "b", "d"] },
      { file: "src/app.ts", taskIds: ["a", "b"] },
    ]);
  });

  it("serialising overlaps orders colliding tasks by plan order and never makes a cycle", () => {
    const plan: Plan = { version: 1, name: "p", requirements: [], tasks: [task("a", ["x.ts"], ["b"]), task("b", ["y.ts"]), task("c", ["x.ts", "y.ts"])] };
    const out = serializeOverlaps(plan);
    const deps = Object.fromEntries(out.tasks.map((t) => [t.id, t.dependsOn]));
    // c after a (plan order); c after b is already implied through a, and a never waits for c.
    expect(deps).toEqual({ a: ["b"], b: [], c: ["a"] });
    expect(serializeOverlaps(plan)).toEqual(out);
    expect(plan.tasks[2]?.dependsOn).toEqual([]);
  });
});

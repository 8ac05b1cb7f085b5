import { describe, expect, it } from "vitest";
import { EventBus, type KappaEvent } from "../../../src/core/index.js";

describe("event bus", () => {
  it("delivers a typed event with its payload and a timestamp to the subscribers of that type only", () => {
    const bus = new EventBus();
    const seen: Array<{ taskId: string; attempt: number; at: string }> = [];
    const other: unknown[] = [];
    bus.on("task:started", (e) => seen.push({ taskId: e.taskId, attempt: e.attempt, at: e.at }));
    bus.on("task:failed", (e) => other.push(e));
    bus.emit("task:started", { runId: "r1", taskId: "t1", attempt: 1, worktree: "/w" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ taskId: "t1", attempt: 1 });
    expect(Number.isNaN(Date.parse(seen[0]!.at))).toBe(false);
    expect(other).toEqual([]);
  });

  it("delivers every event to onAny subscribers, in emit order, with its type", () => {
    const bus = new EventBus();
    const all: KappaEvent[] = [];
    bus.onAny((e) => all.push(e));
    bus.emit("plan:warning", { message: "large spec" });
    bus.emit("log", { level: "info", message: "hello" });
    expect(all.map((e) => e.type)).toEqual(["plan:warning", "log"]);
    expect(all[0]).toMatchObject({ type: "plan:warning", message: "large spec" });
  });

  it("keeps delivering to the other subscribers when one subscriber throws", () => {
    const bus = new EventBus();
    const got: string[] = [];
    bus.on("log", () => {
      throw new Error("broken subscriber");
    });
    bus.on("log", (e) => got.push(`on:${e.message}`));
    bus.onAny(() => {
      throw new Error("broken any-subscriber");
    });
    bus.onAny((e) => got.push(`any:${e.type}`));
    expect(() => bus.emit("log", { level: "warn", message: "m" })).not.toThrow();
    expect(got).toEqual(["on:m", "any:log"]);
  });

  it("stops delivering after a subscriber unsubscribes", () => {
    const bus = new EventBus();
    let count = 0;
    const off = bus.on("breaker:closed", () => count++);
    const offAny = bus.onAny(() => count++);
    bus.emit("breaker:closed", { account: "a" });
    off();
    offAny();
    bus.emit("breaker:closed", { account: "a" });
    expect(count).toBe(2);
  });
});

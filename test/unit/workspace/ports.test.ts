import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { taskEnv, taskPortBase } from "../../../src/workspace/index.js";

describe("task port ranges", () => {
  it("gives task k the range starting at base + k * portsPerTask", () => {
    expect(taskPortBase(0, 41000, 10)).toBe(41000);
    expect(taskPortBase(7, 41000, 10)).toBe(41070);
    expect(taskEnv({ taskIndex: 2, portBase: 41000, portsPerTask: 5, runId: "r", taskId: "t" })).toEqual({
      PORT: "41010", KAPPA_PORT_BASE: "41010", KAPPA_PORT_COUNT: "5", KAPPA_TASK_ID: "t", KAPPA_RUN_ID: "r",
    });
  });

  it("never hands out a port above 65535 and keeps ranges of concurrently running tasks apart", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 65000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 100_000 }), (portBase, perTask, start) => {
        const slots = Math.floor((65536 - portBase) / perTask);
        fc.pre(slots >= 1);
        const window = Math.min(slots, 16);
        const bases = Array.from({ length: window }, (_, i) => taskPortBase(start + i, portBase, perTask));
        for (const b of bases) expect(b + perTask - 1).toBeLessThanOrEqual(65535);
        const sorted = [...bases].sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i++) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(perTask);
      }),
    );
  });

  it("explains a configuration that leaves no room for one task's ports", () => {
    expect(() => taskPortBase(0, 65530, 10)).toThrow(expect.objectContaining({
      message: "no room for 10 ports per task from port 65530",
      hint: "lower taskPortBase or portsPerTask in .kappa/config.yaml",
    }));
  });
});

import { afterEach, expect, it, vi } from "vitest";
import { attachProgress } from "../../../src/cli/progress.js";
import { EventBus } from "../../../src/core/index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

it("prints a failure reason and predicted file names without the escapes and control characters they carry", () => {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const bus = new EventBus();
  const detach = attachProgress(bus, { color: false, simulated: true });
  bus.emit("task:failed", { runId: "r", taskId: "api", attempt: 1, reason: "\u001b[2J\u001b]0;pwned\u0007tests \u001b[31mfailed\u001b[0m\u0007", errorKind: "session" });
  bus.emit("conflict:predicted", { runId: "r", taskIds: ["a", "b"], file: "src/\u001b[8mhidden\u001b[0m.ts" });
  detach();
  vi.restoreAllMocks();
  expect(stderr).toContain("failed  api: tests failed\n");
  expect(stderr).toContain("both touch src/hidden.ts\n");
  // eslint-disable-next-line no-control-regex
  expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
});

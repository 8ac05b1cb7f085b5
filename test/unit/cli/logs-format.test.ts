import { describe, expect, it } from "vitest";
import { formatEventLine, guessWorktreeRoot, summariseToolUse } from "../../../src/cli/commands/logs-format.js";
import { style } from "../../../src/cli/output.js";

describe("kappa logs formatting", () => {
  it("summarises tool calls the way a reviewer would describe them", () => {
    expect(summariseToolUse("Write", { input: { file_path: "src/app.ts", content: "a\nb\n" } }, "")).toBe("Write src/app.ts (2 lines)");
    expect(summariseToolUse("Edit", { file_path: "/r/.kappa/worktrees/t1/src/a.ts", old_string: "x", new_string: "x\ny\nz" }, "")).toBe("Edit src/a.ts (-1 +3 lines)");
    expect(summariseToolUse("Bash", { input: { command: "npm   test\n  --silent" } }, "")).toBe("Bash: npm test --silent");
    expect(summariseToolUse("WebFetch", undefined, "WebFetch http://127.0.0.1")).toBe("WebFetch http://127.0.0.1");
  });

  it("prints one short line per event, with paths relative to the worktree", () => {
    const at = new Date(2025, 0, 1, 9, 5, 7, 42);
    const event = { seq: 1, at, kind: "tool_use", tool: "Write", text: "", data: { input: { file_path: "/tmp/w/src/x.ts", content: "1\n" } } };
    const root = guessWorktreeRoot([event], ["src/x.ts"]);
    expect(root).toBe("/tmp/w/");
    expect(formatEventLine(event, style(false), root)).toBe("09:05:07.042  tool_use    Write src/x.ts (1 line)");
    const long = formatEventLine({ ...event, kind: "text", tool: null, text: "word ".repeat(100) }, style(false));
    expect(long.length).toBeLessThan(200);
    expect(long.endsWith("…")).toBe(true);
  });

  it("prints session text without the colour codes, bell and other control characters it carries", () => {
    const at = new Date(2025, 0, 1, 9, 5, 7, 42);
    const line = formatEventLine({ seq: 1, at, kind: "tool_result", tool: null, text: "\u001b[32mPASS\u001b[0m 3 tests\u0007\r\u001b]0;title\u0007", data: {} }, style(false));
    expect(line).toBe("09:05:07.042  tool_result PASS 3 tests");
  });
});

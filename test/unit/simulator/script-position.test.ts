import { expect, test } from "vitest";
import type { ToolCall } from "../../../src/simulator/request-info.js";
import { scriptPosition } from "../../../src/simulator/script-position.js";

const ok = (file: string): ToolCall => ({ name: "Write", input: { file_path: file }, result: { toolUseId: file, toolName: "Write", input: undefined, text: "File created", isError: false } });
const interrupted = (file: string): ToolCall => ({
  name: "Write",
  input: { file_path: file },
  result: { toolUseId: file, toolName: "Write", input: undefined, text: "The user doesn't want to take this action right now. STOP what you are doing", isError: true },
});
const unanswered = (file: string): ToolCall => ({ name: "Write", input: { file_path: file }, result: undefined });
const failed = (file: string): ToolCall => ({ name: "Edit", input: { file_path: file }, result: { toolUseId: file, toolName: "Edit", input: undefined, text: "String to replace not found", isError: true } });

test("a new conversation starts at the first scripted turn", () => {
  expect(scriptPosition([])).toEqual({ step: 0, redo: [] });
});

test("each finished turn moves the script on, even when a call failed on its own", () => {
  expect(scriptPosition([[ok("a")], [ok("b"), failed("c")]])).toEqual({ step: 2, redo: [] });
});

test("a turn cut short by a resume has its interrupted and unanswered calls made again before the next turn", () => {
  const position = scriptPosition([[ok("a")], [ok("b"), interrupted("c"), unanswered("d")]]);
  expect(position.step).toBe(2);
  expect(position.redo.map((c) => c.input.file_path)).toEqual(["c", "d"]);
});

test("after the repeated calls ran, the script goes on with the turn after the interrupted one", () => {
  expect(scriptPosition([[ok("a"), interrupted("b")], [ok("b")]])).toEqual({ step: 1, redo: [] });
  // Interrupted again while repeating them: only what is still missing is repeated.
  expect(scriptPosition([[ok("a"), interrupted("b"), interrupted("c")], [ok("b"), interrupted("c")]]).redo.map((c) => c.input.file_path)).toEqual(["c"]);
});

import { expect, test } from "vitest";
import { decide } from "../../../src/simulator/behaviour.js";
import { FaultBook } from "../../../src/simulator/faults.js";
import { uniqueTail } from "../../../src/simulator/generic.js";
import { readRequest, type MessagesRequest } from "../../../src/simulator/request-info.js";
import { parseScenarioObject } from "../../../src/simulator/scenario.js";

const ENV = "# Environment\n - Primary working directory: /work/tree\n";
const tools = [{ name: "Write" }, { name: "Read" }, { name: "Edit" }];

function body(messages: MessagesRequest["messages"]): MessagesRequest {
  return { model: "m", stream: true, tools, messages };
}

test("the task id, prompt, cwd and turn come from the request Claude Code sends", () => {
  const info = readRequest(body([
    { role: "user", content: [{ type: "text", text: "<system-reminder>x</system-reminder>" }, { type: "text", text: "Task id: api\nBuild it" }] },
    { role: "system", content: [{ type: "text", text: ENV }] },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/work/tree/TASKS.md" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "1\t# Tasks" }] },
  ]));
  expect(info).toMatchObject({ taskId: "api", prompt: "Task id: api\nBuild it", cwd: "/work/tree", turn: 1, side: false });
  expect(info.lastResults[0]).toMatchObject({ toolName: "Read", text: "1\t# Tasks", isError: false });
});

test("scripted paths are made absolute in the session's cwd, and turns past the script end the session", () => {
  const scenario = parseScenarioObject({ tasks: [{ match: { taskId: "api" }, turns: [{ tools: [{ tool: "Write", input: { file_path: "src/{taskId}.ts", content: "" } }] }] }] });
  const first = decide(scenario, readRequest(body([{ role: "user", content: `Task id: api\n${ENV}` }])), new FaultBook(), undefined);
  expect(first.reply.tools[0]?.input.file_path).toBe("/work/tree/src/api.ts");
  const later = readRequest(body([{ role: "user", content: `Task id: api\n${ENV}` }, { role: "assistant", content: "x" }, { role: "user", content: "y" }]));
  expect(decide(scenario, later, new FaultBook(), undefined).reply).toMatchObject({ tools: [], text: expect.stringContaining("simulated model") });
});

test("a fault with times: 2 hits the first two matching requests only; a turn fault only its turn", () => {
  const scenario = parseScenarioObject({ tasks: [{ match: { taskId: "a" }, fault: { type: "overloaded", times: 2 }, turns: [{ text: "t0", fault: { type: "server_error", times: 1 } }] }] });
  const book = new FaultBook();
  const info = readRequest(body([{ role: "user", content: "Task id: a" }]));
  const kinds = [1, 2, 3, 4].map(() => decide(scenario, info, book, undefined).fault?.type);
  expect(kinds).toEqual(["server_error", "overloaded", "overloaded", undefined]);
  const other = readRequest(body([{ role: "user", content: "Task id: b" }]));
  expect(decide(scenario, other, book, undefined).fault).toBeUndefined();
});

test("a JSON-schema request is answered by calling StructuredOutput with the callback's value", () => {
  const scenario = parseScenarioObject({ structuredOutput: { from: "scenario" } });
  const info = readRequest({ ...body([{ role: "user", content: "Plan it" }]), tools: [{ name: "StructuredOutput" }] });
  expect(decide(scenario, info, new FaultBook(), (p) => ({ echo: p })).reply.tools).toEqual([{ name: "StructuredOutput", input: { echo: "Plan it" } }]);
  expect(decide(scenario, info, new FaultBook(), undefined).reply.tools[0]?.input).toEqual({ from: "scenario" });
});

test("requests without tools (titles and other side requests) get a short text and no fault", () => {
  const scenario = parseScenarioObject({ tasks: [{ fault: { type: "auth" } }] });
  const decision = decide(scenario, readRequest({ model: "m", messages: [{ role: "user", content: "Task id: a" }] }), new FaultBook(), undefined);
  expect(decision.fault).toBeUndefined();
  expect(decision.reply.tools).toEqual([]);
});

test("the generic task edits TASKS.md at an anchor that occurs once", () => {
  expect(uniqueTail(["# Tasks", "", "- a", "- b", ""])).toBe("- b");
  expect(uniqueTail(["x", "- a", "y", "- a"])).toBe("y\n- a");
});

test("a resumed generic session whose read result was lost reads the shared file again instead of overwriting it", () => {
  const scenario = parseScenarioObject({});
  const resumed = readRequest(body([
    { role: "user", content: `Task id: g\n${ENV}` },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/work/tree/TASKS.md" } }] },
    { role: "user", content: `Task id: g\n${ENV}` },
  ]));
  expect(resumed.turn).toBe(1);
  const reply = decide(scenario, resumed, new FaultBook(), undefined).reply;
  expect(reply.tools.map((t) => t.name)).toEqual(["Write", "Read"]);
  expect(reply.tools[0]?.input.file_path).toBe("/work/tree/tasks/g.md");
});

test("a resumed generic session whose edit of the shared file never ran starts its cycle again instead of calling itself done", () => {
  const scenario = parseScenarioObject({});
  const resumed = readRequest(body([
    { role: "user", content: `Task id: g\n${ENV}` },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/work/tree/TASKS.md" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "1\t# Tasks\n2\t\n3\t- a" }] },
    { role: "assistant", content: [{ type: "tool_use", id: "t2", name: "Edit", input: { file_path: "/work/tree/TASKS.md", old_string: "- a", new_string: "- a\n- g" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t2", content: "[Request interrupted by user for tool use]", is_error: true }] },
  ]));
  expect(resumed.turn).toBe(2);
  expect(decide(scenario, resumed, new FaultBook(), undefined).reply.tools.map((t) => t.name)).toEqual(["Write", "Read"]);
  const edited = readRequest(body([
    { role: "user", content: `Task id: g\n${ENV}` },
    { role: "assistant", content: [{ type: "tool_use", id: "t2", name: "Edit", input: { file_path: "/work/tree/TASKS.md", old_string: "- a", new_string: "- a\n- g" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t2", content: "The file has been updated." }] },
  ]));
  expect(decide(scenario, edited, new FaultBook(), undefined).reply).toMatchObject({ tools: [], text: expect.stringContaining("done") });
});

test("a generic session creates the shared file when reading it said it does not exist", () => {
  const scenario = parseScenarioObject({});
  const first = readRequest(body([
    { role: "user", content: `Task id: g\n${ENV}` },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/work/tree/TASKS.md" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "<tool_use_error>File does not exist.</tool_use_error>", is_error: true }] },
  ]));
  const reply = decide(scenario, first, new FaultBook(), undefined).reply;
  expect(reply.tools).toEqual([{ name: "Write", input: { file_path: "/work/tree/TASKS.md", content: "# Tasks\n\n- g\n" } }]);
});

test("a scenario entry's scripted answer to a JSON-schema request wins over the built-in answer", () => {
  const scenario = parseScenarioObject({ tasks: [{ match: { prompt: "Problems found" }, structuredOutput: { tasks: "scripted" } }] });
  const repair = readRequest({ ...body([{ role: "user", content: "Plan it.\nProblems found in it: a cycle" }]), tools: [{ name: "StructuredOutput" }] });
  const first = readRequest({ ...body([{ role: "user", content: "Plan it." }]), tools: [{ name: "StructuredOutput" }] });
  expect(decide(scenario, repair, new FaultBook(), () => ({ tasks: "built-in" })).reply.tools[0]?.input).toEqual({ tasks: "scripted" });
  expect(decide(scenario, first, new FaultBook(), () => ({ tasks: "built-in" })).reply.tools[0]?.input).toEqual({ tasks: "built-in" });
});

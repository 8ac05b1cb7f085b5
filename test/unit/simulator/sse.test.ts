import { expect, test } from "vitest";
import { chunkText, formatSse, replyEvents, replyMessage } from "../../../src/simulator/sse.js";

const usage = { inputTokens: 10, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 };

test("an SSE frame is an event line, one data line of JSON and a blank line", () => {
  expect(formatSse({ event: "ping", data: { type: "ping" } })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
});

test("tool calls stream as input_json_delta pieces that join into the tool's input, and stop with tool_use", () => {
  const input = { file_path: "/w/a.txt", content: "x".repeat(600) };
  const events = replyEvents({ text: "hi", tools: [{ name: "Write", input }], usage }, ["toolu_1"]);
  const json = events
    .filter((e) => (e.data as { delta?: { type: string } }).delta?.type === "input_json_delta")
    .map((e) => (e.data as { delta: { partial_json: string } }).delta.partial_json)
    .join("");
  expect(JSON.parse(json)).toEqual(input);
  const delta = events.find((e) => e.event === "message_delta")?.data as { delta: { stop_reason: string }; usage: { output_tokens: number } };
  expect(delta.delta.stop_reason).toBe("tool_use");
  expect(delta.usage.output_tokens).toBe(4);
  expect(events.at(-1)?.event).toBe("message_stop");
  expect(events.filter((e) => e.event === "content_block_start").map((e) => (e.data as { index: number }).index)).toEqual([0, 1]);
});

test("a text-only answer ends the turn, streamed or not", () => {
  expect(replyMessage({ text: "done", tools: [], usage }, "m", "msg_1", [])).toMatchObject({ stop_reason: "end_turn", content: [{ type: "text", text: "done" }] });
  expect(chunkText("abcdef", 4)).toEqual(["abcd", "ef"]);
});

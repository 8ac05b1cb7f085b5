/** The simulated model over HTTP, as any Messages API client sees it (no Claude Code needed). */
import { afterEach, expect, test } from "vitest";
import { startSimulator, type ScenarioInput, type SimulatorHandle } from "../../../src/simulator/index.js";

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function request(taskId: string, stream: boolean, session = "s1"): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-claude-code-session-id": session },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 1000, stream, messages: [{ role: "user", content: `Task id: ${taskId}\nGo` }], tools: [{ name: "Write" }, { name: "Read" }] }),
  };
}

async function start(scenario: ScenarioInput): Promise<SimulatorHandle> {
  sim = await startSimulator({ scenario });
  return sim;
}

test("a streamed answer is well-formed SSE ending in message_stop, with the turn's usage", async () => {
  const s = await start({ tasks: [{ match: { taskId: "a" }, turns: [{ text: "hello", usage: { inputTokens: 7, outputTokens: 3 } }] }] });
  const text = await (await fetch(`${s.url}/v1/messages?beta=true`, request("a", true))).text();
  const events = text.trim().split("\n\n").map((frame) => /^event: (\S+)/.exec(frame)?.[1]);
  expect(events[0]).toBe("message_start");
  expect(events.at(-1)).toBe("message_stop");
  expect(text).toContain('"input_tokens":7');
  expect(text).toContain('"output_tokens":3');
  expect(s.stats().tasks.a?.usage.outputTokens).toBe(3);
});

test("a fault with times: 1 fails the first request with 429 and retry-after, then lets the retry through", async () => {
  const s = await start({ tasks: [{ match: { taskId: "a" }, fault: { type: "rate_limit", retryAfterSeconds: 4, times: 1 } }] });
  const first = await fetch(`${s.url}/v1/messages`, request("a", false));
  expect(first.status).toBe(429);
  expect(first.headers.get("retry-after")).toBe("4");
  await first.text();
  const second = await fetch(`${s.url}/v1/messages`, request("a", false));
  expect(second.status).toBe(200);
  await second.text();
  expect(s.stats().tasks.a).toMatchObject({ requests: 2, faults: 1 });
});

test("a stalled stream sends headers and message_start, then nothing while the connection stays open", async () => {
  const s = await start({ tasks: [{ fault: { type: "stall" } }] });
  const response = await fetch(`${s.url}/v1/messages`, request("a", true));
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const chunk: { value?: Uint8Array } = await reader.read();
  const first = new TextDecoder().decode(chunk.value);
  expect(first).toContain("message_start");
  const next = await Promise.race([reader.read().then(() => "data"), new Promise((r) => setTimeout(() => r("silence"), 500))]);
  expect(next).toBe("silence");
  await reader.cancel();
});

test("a slow stream delays every event", async () => {
  const s = await start({ tasks: [{ turns: [{ text: "x" }], fault: { type: "slow", delayMs: 40 } }] });
  const started = Date.now();
  await (await fetch(`${s.url}/v1/messages`, request("a", true))).text();
  expect(Date.now() - started).toBeGreaterThanOrEqual(40 * 5);
});

test("unknown endpoints get an Anthropic-style 404 naming the simulated model", async () => {
  const s = await start({});
  const response = await fetch(`${s.url}/v1/files`);
  expect(response.status).toBe(404);
  expect(await response.text()).toContain("simulated model");
});

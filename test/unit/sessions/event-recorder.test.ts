import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/core/index.js";
import type { SessionEventRecord, SessionStore } from "../../../src/knowledge/index.js";
import { EventRecorder } from "../../../src/sessions/event-recorder.js";

function memoryStore(): { store: SessionStore; batches: SessionEventRecord[][] } {
  const batches: SessionEventRecord[][] = [];
  const store = { appendEvents: (_id: string, events: SessionEventRecord[]) => Promise.resolve(void batches.push(events)) } as unknown as SessionStore;
  return { store, batches };
}

describe("a session's event recorder", () => {
  it("writes events in batches, in order, not one write per event", async () => {
    const { store, batches } = memoryStore();
    const recorder = new EventRecorder({ store, sessionId: "s", logger: silentLogger(), flushMs: 10_000 });
    for (let i = 0; i < 5; i++) recorder.push({ kind: "text", text: `t${i}` });
    expect(batches).toHaveLength(0);
    await recorder.close();
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("writes the event carrying the agent's session id at once, so a crash right after the start can still resume it", async () => {
    const { store, batches } = memoryStore();
    const recorder = new EventRecorder({ store, sessionId: "s", logger: silentLogger(), flushMs: 10_000 });
    recorder.push({ kind: "system", text: "session started", data: { sessionId: "abc" } });
    await new Promise((r) => setImmediate(r));
    expect(batches.flat().map((e) => e.data)).toEqual([{ sessionId: "abc" }]);
    await recorder.close();
  });
});

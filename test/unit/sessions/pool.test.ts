import { afterEach, describe, expect, it, vi } from "vitest";
import { account, harness, task, workspace, type Harness } from "./pool-helpers.js";

let current: Harness | undefined;
afterEach(() => {
  current?.pool.close();
  vi.useRealTimers();
});
function make(...args: Parameters<typeof harness>): Harness {
  current = harness(...args);
  return current;
}
const signal = (): AbortSignal => new AbortController().signal;

describe("session pool", () => {
  it("never runs more sessions at once than maxParallel", async () => {
    const h = make({ fallback: [{ latencyMs: 30 }] }, { maxParallel: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.pool.run({ task: task(`t${i}`), workspace, signal: signal() })));
    expect(results.every((r) => r.result.status === "completed")).toBe(true);
    expect(h.driver.peakConcurrency).toBe(3);
  });

  it("respects each account's own concurrency limit", async () => {
    const h = make({ fallback: [{ latencyMs: 30 }] }, { maxParallel: 8, accounts: [account("a", 1), account("b", 2)] });
    await Promise.all(Array.from({ length: 9 }, (_, i) => h.pool.run({ task: task(`t${i}`), workspace, signal: signal() })));
    expect(h.driver.peakConcurrency).toBe(3);
    const perAccount = (name: string): number => h.driver.calls.filter((c) => c.account === name).length;
    expect(perAccount("a") + perAccount("b")).toBe(9);
    expect(perAccount("b")).toBeGreaterThan(perAccount("a"));
  });

  it("starts waiting tasks by priority, higher first, then in arrival order", async () => {
    const h = make({ fallback: [{ latencyMs: 5 }], tasks: { blocker: [{ latencyMs: 40 }] } }, { maxParallel: 1 });
    const first = h.pool.run({ task: task("blocker"), workspace, signal: signal() });
    const rest = [
      h.pool.run({ task: task("low"), workspace, signal: signal(), priority: 1 }),
      h.pool.run({ task: task("high-a"), workspace, signal: signal(), priority: 5 }),
      h.pool.run({ task: task("mid"), workspace, signal: signal(), priority: 3 }),
      h.pool.run({ task: task("high-b"), workspace, signal: signal(), priority: 5 }),
    ];
    await Promise.all([first, ...rest]);
    expect(h.driver.calls.map((c) => c.taskId)).toEqual(["blocker", "high-a", "high-b", "mid", "low"]);
  });

  it("shares the load between two accounts", async () => {
    const h = make({ fallback: [{ latencyMs: 20 }] }, { maxParallel: 4, accounts: [account("a", 2), account("b", 2)] });
    await Promise.all(Array.from({ length: 8 }, (_, i) => h.pool.run({ task: task(`t${i}`), workspace, signal: signal() })));
    expect(h.driver.calls.filter((c) => c.account === "a")).toHaveLength(4);
    expect(h.driver.calls.filter((c) => c.account === "b")).toHaveLength(4);
    expect(h.driver.peakConcurrency).toBe(4);
  });

  it("retries a server error with backoff and then succeeds", async () => {
    const h = make({ tasks: { flaky: [{ fail: "server_error" }, { fail: "server_error" }, {}] } }, { retryBaseMs: 40, random: () => 1 });
    const started = Date.now();
    const out = await h.pool.run({ task: task("flaky"), workspace, signal: signal() });
    expect(out.result.status).toBe("completed");
    expect(out.attempts).toBe(3);
    expect(out.sessionIds).toHaveLength(3);
    expect(new Set(out.sessionIds).size).toBe(3);
    const retries = h.events.filter((e) => e.type === "task:retrying");
    // Full jitter with random() = 1: the whole window, doubling: 40 then 80 ms.
    expect(retries.map((e) => (e.type === "task:retrying" ? e.delayMs : -1))).toEqual([40, 80]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(out.totalCostUsd).toBeCloseTo(0.03);
  });

  it("gives up after maxRetries with the last reason", async () => {
    const h = make({ tasks: { doomed: [{ fail: "overloaded", retryAfterMs: 0 }] } }, { maxRetries: 2, retryBaseMs: 1 });
    const out = await h.pool.run({ task: task("doomed"), workspace, signal: signal() });
    expect(out.result.status).toBe("failed");
    expect(out.attempts).toBe(3);
    expect(out.result.errorKind).toBe("overloaded");
    expect(out.result.error).toMatch(/gave up after 3 attempts: the API behind account main is overloaded \(529\)/);
  });

  it("fails a rejected API key at once, without retrying, and says which key to check", async () => {
    const h = make({ tasks: { t: [{ fail: "auth" }] } }, { accounts: [{ ...account("main"), apiKeyEnv: "ANTHROPIC_API_KEY" }] });
    const out = await h.pool.run({ task: task("t"), workspace, signal: signal() });
    expect(out.attempts).toBe(1);
    expect(h.driver.calls).toHaveLength(1);
    expect(out.result.errorKind).toBe("auth");
    expect(out.result.error).toBe("the API key for account main was rejected; check ANTHROPIC_API_KEY");
    expect(h.events.some((e) => e.type === "task:retrying")).toBe(false);
    // Every later task fails fast too, without starting a session on the rejected key.
    const next = await h.pool.run({ task: task("u"), workspace, signal: signal() });
    expect(next.result.errorKind).toBe("auth");
    expect(h.driver.calls).toHaveLength(1);
  });

  it("retries an internal error only once", async () => {
    const h = make({ tasks: { buggy: [{ fail: "internal", error: "unexpected end of stream" }] } }, { maxRetries: 5, retryBaseMs: 1 });
    const out = await h.pool.run({ task: task("buggy"), workspace, signal: signal() });
    expect(out.attempts).toBe(2);
    expect(out.result.error).toBe("gave up after 2 attempts: internal error: unexpected end of stream");
  });

  it("does not retry a session that ran out of turns or budget", async () => {
    const h = make({ tasks: { turns: [{ fail: "max_turns" }], money: [{ fail: "budget" }] } });
    const [turns, money] = await Promise.all([
      h.pool.run({ task: task("turns"), workspace, signal: signal() }),
      h.pool.run({ task: task("money"), workspace, signal: signal() }),
    ]);
    expect(turns.attempts).toBe(1);
    expect(turns.result.error).toMatch(/used all 10 turns/);
    expect(money.attempts).toBe(1);
    expect(money.result.error).toMatch(/budget of \$1/);
  });

  it("pauses every start on a rate-limited account until retry-after, then resumes by itself", async () => {
    const h = make({ tasks: { first: [{ fail: "rate_limited", retryAfterMs: 150 }, {}] }, fallback: [{ latencyMs: 1 }] }, { maxParallel: 4, retryBaseMs: 1 });
    const order: string[] = [];
    let openedAt = 0;
    let closedAt = 0;
    const opened = new Promise<void>((resolve) => h.bus.on("breaker:opened", () => ((openedAt = Date.now()), order.push("opened"), resolve())));
    h.bus.on("breaker:closed", () => ((closedAt = Date.now()), order.push("closed")));
    h.bus.on("session:started", (e) => order.push(`started ${e.taskId}`));
    const first = h.pool.run({ task: task("first"), workspace, signal: signal() });
    await opened;
    const others = await Promise.all([h.pool.run({ task: task("a"), workspace, signal: signal() }), h.pool.run({ task: task("b"), workspace, signal: signal() })]);
    const out = await first;
    expect(out.result.status).toBe("completed");
    expect(others.every((o) => o.result.status === "completed")).toBe(true);
    // Nothing started while the breaker was open; everything waiting started once it closed.
    expect(order.slice(0, 3)).toEqual(["started first", "opened", "closed"]);
    expect(order.slice(3).sort()).toEqual(["started a", "started b", "started first"]);
    expect(closedAt - openedAt).toBeGreaterThanOrEqual(149); // timers never fire early: the pause lasts retry-after
  });

  it("keeps starting work on a healthy account while another one is paused", async () => {
    const h = make({ tasks: { first: [{ fail: "rate_limited", retryAfterMs: 5_000 }, {}] }, fallback: [{ latencyMs: 1 }] }, { accounts: [account("a", 1), account("b", 1)], retryBaseMs: 1 });
    const out = await h.pool.run({ task: task("first"), workspace, signal: signal() });
    expect(out.result.status).toBe("completed");
    const [firstCall, secondCall] = h.driver.calls;
    expect(secondCall?.account).not.toBe(firstCall?.account);
    expect(h.pool.health().find((a) => a.name === firstCall?.account)?.breakerOpenUntil).toBeGreaterThan(Date.now());
  });

  it("aborts a silent session as stalled and retries it", async () => {
    const h = make({ tasks: { quiet: [{ hang: true }, {}] } }, { idleTimeoutMs: 60, retryBaseMs: 1 });
    const out = await h.pool.run({ task: task("quiet"), workspace, signal: signal() });
    expect(out.result.status).toBe("completed");
    expect(out.attempts).toBe(2);
    const retry = h.events.find((e) => e.type === "task:retrying");
    expect(retry?.type === "task:retrying" && retry.reason).toBe("the session produced no output for 60 ms and was stopped by the watchdog (idleTimeout)");
    const finished = h.events.filter((e) => e.type === "session:finished");
    expect(finished[0]?.type === "session:finished" && finished[0].status).toBe("failed:stalled");
  });

  it("keeps a session that emits events alive past the idle timeout", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const events = Array.from({ length: 6 }, (_, i) => ({ kind: "text" as const, text: `step ${i}` }));
    const h = make({ tasks: { chatty: [{ latencyMs: 240, events }] } }, { idleTimeoutMs: 100 });
    const run = h.pool.run({ task: task("chatty"), workspace, signal: signal() });
    await vi.runAllTimersAsync();
    const out = await run;
    expect(out.result.status).toBe("completed");
    expect(out.attempts).toBe(1);
  });

  it("stops a session at the hard timeout even while it keeps talking", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const events = Array.from({ length: 50 }, (_, i) => ({ kind: "text" as const, text: `step ${i}` }));
    const h = make({ tasks: { endless: [{ latencyMs: 2_000, events }] } }, { idleTimeoutMs: 500, sessionTimeoutMs: 120, maxRetries: 0 });
    const started = Date.now();
    const run = h.pool.run({ task: task("endless"), workspace, signal: signal() });
    await vi.runAllTimersAsync();
    const out = await run;
    expect(Date.now() - started).toBeLessThan(200);
    expect(out.result.errorKind).toBe("timeout");
    expect(out.result.error).toMatch(/ran longer than 120 ms/);
  });

  it("cancels running and waiting sessions when the caller aborts", async () => {
    const h = make({ fallback: [{ hang: true }] }, { maxParallel: 1 });
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => h.bus.on("session:started", () => resolve()));
    const running = h.pool.run({ task: task("running"), workspace, signal: controller.signal });
    const waiting = h.pool.run({ task: task("waiting"), workspace, signal: controller.signal });
    await started;
    expect(h.pool.waiting).toBe(1);
    controller.abort();
    const [r, w] = await Promise.all([running, waiting]);
    expect(r.result.errorKind).toBe("aborted");
    expect(w.result.errorKind).toBe("aborted");
    expect(w.attempts).toBe(0);
    expect(h.driver.calls.map((c) => c.taskId)).toEqual(["running"]);
    expect(h.pool.active).toBe(0);
    expect(h.pool.waiting).toBe(0);
  });

  it("publishes session output with secrets scrubbed", async () => {
    const h = make({ tasks: { t: [{ events: [{ kind: "text", text: "using key-main-secret now" }] }] } });
    await h.pool.run({ task: task("t"), workspace, signal: signal(), runId: "r1" });
    const outputs = h.events.filter((e) => e.type === "session:output");
    expect(outputs[0]?.type === "session:output" && outputs[0].text).toBe("using [redacted] now");
    const types = h.events.map((e) => e.type);
    expect(types.indexOf("session:started")).toBeLessThan(types.indexOf("session:finished"));
  });
});

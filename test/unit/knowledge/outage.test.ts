import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../../src/core/index.js";
import { backoffDelay, DatabaseOutageError, isConnectionError, OutageGuard, type OutageState } from "../../../src/knowledge/outage.js";

afterEach(() => vi.useRealTimers());

const refused = (): Error => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("database outages", () => {
  it("tells a lost connection from a failed statement", () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('relation "runs" does not exist'), { code: "42P01" }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
  });

  it("backs off from 100 ms, doubling, to at most 2 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, 100, 2000))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it("lets waiting work go on once the server answers again", async () => {
    vi.useFakeTimers();
    let up = false;
    const guard = new OutageGuard({ displayUrl: "db", timeoutMs: 60_000, logger: silentLogger(), probe: () => (up ? Promise.resolve() : Promise.reject(refused())) });
    const states: OutageState[] = [];
    guard.onChange((s) => states.push(s));
    guard.noticeLost(refused());
    let resumed = false;
    const waiting = guard.whenUp().then(() => (resumed = true));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(resumed).toBe(false); // still down: the work waits
    up = true;
    await vi.advanceTimersByTimeAsync(2_000);
    await waiting;
    expect(states).toEqual(["down", "up"]);
  });

  it("gives up after the reconnect timeout with an error that says what to do", async () => {
    vi.useFakeTimers();
    const guard = new OutageGuard({ displayUrl: "postgresql://kappa@db/kappa", timeoutMs: 60_000, logger: silentLogger(), probe: () => Promise.reject(refused()) });
    guard.noticeLost(refused());
    const outcome = guard.whenUp().then(() => "up", (error: unknown) => error);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(guard.current).toBe("down");
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(DatabaseOutageError);
    expect((error as DatabaseOutageError).message).toBe("lost the connection to PostgreSQL at postgresql://kappa@db/kappa and it did not come back within 60 s");
    expect((error as DatabaseOutageError).forRun("r1").hint).toContain("kappa resume r1");
    await expect(guard.whenUp()).rejects.toBe(error); // later work fails at once with the same error
  });
});

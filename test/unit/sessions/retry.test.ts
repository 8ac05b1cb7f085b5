import { describe, expect, it } from "vitest";
import { backoffCeiling, backoffDelay, isRetryable } from "../../../src/sessions/index.js";

describe("retry backoff", () => {
  it("doubles the jitter window each retry up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => backoffCeiling(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffCeiling(20, 1000, 30_000)).toBe(30_000);
  });

  it("spreads delays uniformly over the whole window (full jitter)", () => {
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0.999 })).toBe(3996);
  });

  it("retries transient failures but never a rejected key, a spent budget or a cancellation", () => {
    expect(["rate_limited", "overloaded", "server_error", "stalled", "timeout", "agent_error", "internal"].every((k) => isRetryable(k as never))).toBe(true);
    expect(["auth", "budget", "max_turns", "aborted"].some((k) => isRetryable(k as never))).toBe(false);
  });
});

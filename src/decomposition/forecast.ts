/**
 * The dry-run forecast: how long the plan should take with N sessions (critical-path-first and with wave
 * barriers), how long one session would take alone, and what it may cost.
 */
import type { ResolvedPlan } from "./dependency-resolver.js";
import { simulateSchedule } from "./schedule.js";

export interface Forecast {
  sessions: number;
  tasks: number;
  serialMinutes: number;
  criticalPathMinutes: number;
  makespanMinutes: { dag: number; waves: number };
  /** Serial time ÷ makespan. */
  speedup: { dag: number; waves: number };
  tokens: { low: number; high: number };
  costUsd: { low: number; high: number };
  assumptions: string;
}

/**
 * Tokens one session processes per task complexity (input including cache reads, plus output), low and high.
 * Assumption, from typical Claude Code sessions: a session re-reads its growing context every turn, so tokens
 * grow faster than the work; complexity 1 ≈ 5 turns, complexity 5 ≈ 60 turns.
 */
const TOKENS_BY_COMPLEXITY: readonly (readonly [number, number])[] = [
  [60_000, 150_000], // 1: a small, focused change
  [120_000, 300_000], // 2
  [250_000, 600_000], // 3
  [450_000, 1_100_000], // 4
  [800_000, 2_000_000], // 5: a large feature
];
/** Share of tokens that are output; the rest is input, mostly cache reads. */
const OUTPUT_SHARE = 0.06;
/** Share of input tokens served from the prompt cache. */
const CACHE_READ_SHARE = 0.85;
/** Claude Sonnet list prices, USD per million tokens: input, cache read, output. */
const PRICE = { input: 3, cacheRead: 0.3, output: 15 } as const;

function usd(tokens: number): number {
  const output = tokens * OUTPUT_SHARE;
  const input = tokens - output;
  const perMillion = (input * (CACHE_READ_SHARE * PRICE.cacheRead + (1 - CACHE_READ_SHARE) * PRICE.input) + output * PRICE.output) / 1_000_000;
  return Math.round(perMillion * 100) / 100;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function forecast(resolved: ResolvedPlan, options: { sessions: number }): Forecast {
  const tasks = resolved.plan.tasks;
  const sessions = Math.max(1, Math.floor(options.sessions));
  const serial = tasks.reduce((s, t) => s + t.estimateMinutes, 0);
  const dag = simulateSchedule(resolved, {}, sessions, "dag").makespan;
  const waves = simulateSchedule(resolved, {}, sessions, "waves").makespan;
  let low = 0;
  let high = 0;
  for (const t of tasks) {
    const [l, h] = TOKENS_BY_COMPLEXITY[Math.min(Math.max(t.complexity, 1), 5) - 1] ?? [0, 0];
    low += l;
    high += h;
  }
  return {
    sessions,
    tasks: tasks.length,
    serialMinutes: round1(serial),
    criticalPathMinutes: round1(resolved.criticalPathMinutes),
    makespanMinutes: { dag: round1(dag), waves: round1(waves) },
    speedup: { dag: dag > 0 ? round1(serial / dag) : 1, waves: waves > 0 ? round1(serial / waves) : 1 },
    tokens: { low, high },
    costUsd: { low: usd(low), high: usd(high) },
    assumptions: `per task 60k-150k tokens at complexity 1 up to 0.8M-2M at 5; ${OUTPUT_SHARE * 100}% output, ${CACHE_READ_SHARE * 100}% of input from cache; Sonnet prices $${PRICE.input}/$${PRICE.cacheRead}/$${PRICE.output} per M input/cache-read/output; excludes retries and conflict resolution`,
  };
}

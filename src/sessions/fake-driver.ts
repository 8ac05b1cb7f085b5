/**
 * An in-memory driver for fast tests and benchmarks of everything around sessions (pool, scheduler, merges):
 * each task follows a script — latency, events, files written, and a result or failure per attempt — and
 * nothing is random, so a test that passes once passes always.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PlannedTask, TokenUsage } from "../core/index.js";
import { emptyUsage, type SessionDriver, type SessionErrorKind, type SessionEvent, type SessionResult, type SessionRunOptions, type SessionWorkspace } from "./driver.js";

/** What one attempt of a task does. */
export interface FakeAttempt {
  /** Time the attempt takes, spread evenly between its events. @default 0 */
  latencyMs?: number;
  /** Events emitted during the attempt. @default one text event */
  events?: SessionEvent[];
  /** Emit nothing and never finish until aborted (a stalled stream). */
  hang?: boolean;
  /** Fail with this kind instead of completing. */
  fail?: SessionErrorKind;
  error?: string;
  retryAfterMs?: number;
  /** Files written into the worktree (relative path → content) before completing. */
  files?: Record<string, string>;
  usage?: Partial<TokenUsage>;
  costUsd?: number;
  turns?: number;
}

/** Attempts of one task in order; the last one repeats for any further attempt. */
export type FakeTaskScript = FakeAttempt[];

export interface FakeDriverOptions {
  /** Per task id. */
  tasks?: Record<string, FakeTaskScript>;
  /** For tasks without a script. @default [{}] */
  fallback?: FakeTaskScript;
}

/** One call the driver received, for assertions. */
export interface FakeCall {
  taskId: string;
  attempt: number;
  account: string;
  startedAt: number;
  finishedAt: number | undefined;
  feedback: string | undefined;
  resumeSessionId: string | undefined;
}

export class FakeDriver implements SessionDriver {
  readonly name = "fake";
  readonly calls: FakeCall[] = [];
  private readonly attempts = new Map<string, number>();
  private current = 0;
  /** Most sessions that ran at the same time. */
  peakConcurrency = 0;

  constructor(private readonly options: FakeDriverOptions = {}) {}

  /** Sessions running now. */
  get running(): number {
    return this.current;
  }

  async run(task: PlannedTask, workspace: SessionWorkspace, options: SessionRunOptions): Promise<SessionResult> {
    const attempt = (this.attempts.get(task.id) ?? 0) + 1;
    this.attempts.set(task.id, attempt);
    const script = this.options.tasks?.[task.id] ?? this.options.fallback ?? [{}];
    const step: FakeAttempt = script[Math.min(attempt, script.length) - 1] ?? {};
    const call: FakeCall = { taskId: task.id, attempt, account: options.account.name, startedAt: Date.now(), finishedAt: undefined, feedback: options.feedback, resumeSessionId: options.resumeSessionId };
    this.calls.push(call);
    this.current += 1;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.current);
    const started = Date.now();
    try {
      return await this.play(task, workspace, options, step, started);
    } finally {
      this.current -= 1;
      call.finishedAt = Date.now();
    }
  }

  private async play(task: PlannedTask, workspace: SessionWorkspace, options: SessionRunOptions, step: FakeAttempt, started: number): Promise<SessionResult> {
    const usage: TokenUsage = { ...emptyUsage(), inputTokens: 1000, outputTokens: 200, ...step.usage };
    const base = { sessionId: `fake-${task.id}`, usage, costUsd: step.costUsd ?? 0.01, turns: step.turns ?? 1 };
    const aborted = (): SessionResult => ({ ...base, status: "failed", summary: "", filesChanged: [], durationMs: Date.now() - started, errorKind: "aborted", error: "aborted" });
    if (step.hang) {
      await waitForAbort(options.signal);
      return aborted();
    }
    const events = step.events ?? [{ kind: "text", text: `working on ${task.id}` }];
    const pause = (step.latencyMs ?? 0) / Math.max(1, events.length);
    for (const event of events) {
      if (!(await delay(pause, options.signal))) return aborted();
      options.onEvent(event);
    }
    if (events.length === 0 && !(await delay(step.latencyMs ?? 0, options.signal))) return aborted();
    if (step.fail) {
      return { ...base, status: "failed", summary: "", filesChanged: [], durationMs: Date.now() - started, errorKind: step.fail, error: step.error ?? `simulated ${step.fail}`, retryAfterMs: step.retryAfterMs };
    }
    const files = Object.keys(step.files ?? {});
    for (const [path, content] of Object.entries(step.files ?? {})) {
      const target = join(workspace.dir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    options.onEvent({ kind: "result", text: `done: ${task.title}` });
    return { ...base, status: "completed", summary: `done: ${task.title}`, filesChanged: files, durationMs: Date.now() - started };
  }
}

/** Resolves true after `ms`, false as soon as the signal aborts. */
function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

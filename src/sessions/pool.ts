/**
 * The session pool: the only way kappa starts agent sessions. It bounds how many run at once (globally and
 * per account), starts waiting work by priority, spreads it over accounts, pauses throttled accounts, retries
 * what is worth retrying with backoff, and stops sessions that hang — so that one bad minute at the API does
 * not cost a run.
 */
import { randomBytes } from "node:crypto";
import { describeError, sleep, type EventBus, type Logger, type PlannedTask, type Scrubber, type TokenUsage } from "../core/index.js";
import type { SessionStore } from "../knowledge/index.js";
import { AccountRouter, type AccountHealth, type PoolAccount } from "./accounts.js";
import { emptyUsage, type SessionAccount, type SessionDriver, type SessionEvent, type SessionResult, type SessionWorkspace } from "./driver.js";
import { EventRecorder } from "./event-recorder.js";
import { failureReason, type ReasonContext } from "./failure-reason.js";
import { backoffDelay, isRetryable } from "./retry.js";
import { startWatchdog } from "./watchdog.js";

/** An account the pool may use; `maxConcurrent` defaults to the pool's `maxParallel`. */
export interface PoolAccountConfig extends SessionAccount {
  maxConcurrent?: number | undefined;
  /** Environment variable holding the key, named in the message when the key is rejected. */
  apiKeyEnv?: string | undefined;
}

export interface SessionPoolOptions {
  driver: SessionDriver;
  accounts: PoolAccountConfig[];
  maxParallel: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Longest retry delay. @default 60000 */
  retryCapMs?: number;
  idleTimeoutMs: number;
  sessionTimeoutMs: number;
  maxTurns: number;
  maxBudgetUsd: number;
  store?: SessionStore | undefined;
  bus: EventBus;
  logger: Logger;
  scrubber: Scrubber;
  random?: () => number;
  now?: () => number;
  /** kappa session ids. @default "s_" + 12 random hex digits */
  newSessionId?: () => string;
}

export interface PoolRequest {
  task: PlannedTask;
  workspace: SessionWorkspace;
  runId?: string | undefined;
  /** Higher starts first; equal priorities start in arrival order. @default 0 */
  priority?: number | undefined;
  signal: AbortSignal;
  feedback?: string | undefined;
  resumeSessionId?: string | undefined;
  /** The task attempt these sessions belong to (recorded on each session row). */
  taskAttempt?: number | undefined;
}

export interface PoolResult {
  /** The last attempt's result; on failure `error` is a sentence for the user. */
  result: SessionResult;
  attempts: number;
  /** kappa session ids, one per attempt that started. */
  sessionIds: string[];
  /** Cost and tokens of every attempt together (what the user pays for this task). */
  totalCostUsd: number;
  totalUsage: TokenUsage;
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: (account: PoolAccount | "aborted" | "disabled") => void;
}

export class SessionPool {
  private readonly router: AccountRouter;
  private readonly queue: Waiter[] = [];
  private readonly apiKeyEnvs = new Map<string, string | undefined>();
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly newSessionId: () => string;
  private running = 0;
  private arrivals = 0;

  constructor(private readonly options: SessionPoolOptions) {
    if (options.accounts.length === 0) throw new Error("SessionPool needs at least one account");
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.newSessionId = options.newSessionId ?? (() => `s_${randomBytes(6).toString("hex")}`);
    const accounts: PoolAccount[] = options.accounts.map((a) => {
      this.apiKeyEnvs.set(a.name, a.apiKeyEnv);
      return { name: a.name, apiKey: a.apiKey, baseUrl: a.baseUrl, model: a.model, simulated: a.simulated, maxConcurrent: a.maxConcurrent ?? options.maxParallel };
    });
    this.router = new AccountRouter({ accounts, bus: options.bus, breakerBaseMs: Math.max(options.retryBaseMs, 100), now: this.now, onCapacity: () => this.pump() });
  }

  /** Sessions running now. */
  get active(): number {
    return this.running;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  health(): AccountHealth[] {
    return this.router.health();
  }

  /** Stops the breakers' timers; call when the run ends. */
  close(): void {
    this.router.dispose();
  }

  /** Runs a task to completion or final failure, retrying as configured. Never throws for expected failures. */
  async run(request: PoolRequest): Promise<PoolResult> {
    const sessionIds: string[] = [];
    const totalUsage = emptyUsage();
    let totalCostUsd = 0;
    const seq = this.arrivals++;
    const priority = request.priority ?? 0;
    const done = (result: SessionResult, attempts: number): PoolResult => ({ result, attempts, sessionIds, totalCostUsd, totalUsage });
    for (let attempt = 1; ; attempt += 1) {
      const account = await this.acquire(priority, seq, request.signal);
      if (account === "aborted") return done(syntheticFailure("aborted", "the session was cancelled before it started"), attempt - 1);
      if (account === "disabled") {
        const names = this.options.accounts.map((a) => a.name).join(", ");
        return done(syntheticFailure("auth", `every account's API key was rejected (${names}); check ${this.options.accounts.map((a) => a.apiKeyEnv ?? "ANTHROPIC_API_KEY").join(", ")}`), attempt - 1);
      }
      let result: SessionResult;
      try {
        result = await this.runAttempt(request, account, attempt, sessionIds);
      } finally {
        this.running -= 1;
      }
      this.router.release(account.name, { ok: result.status === "completed", errorKind: result.errorKind, error: result.error, retryAfterMs: result.retryAfterMs });
      this.pump();
      addUsage(totalUsage, result.usage);
      totalCostUsd += result.costUsd;
      if (result.status === "completed") return done(result, attempt);

      const ctx = this.reasonContext(account.name);
      const reason = failureReason(result.errorKind, result.error, ctx);
      if (result.errorKind === "aborted" || request.signal.aborted) return done({ ...result, errorKind: "aborted", error: failureReason("aborted", undefined, ctx) }, attempt);
      if (!(result.retryable ?? isRetryable(result.errorKind))) return done({ ...result, error: reason }, attempt);
      // A kappa or CLI bug is unlikely to go away by itself: one more try, not maxRetries.
      const retries = result.errorKind === "internal" ? Math.min(1, this.options.maxRetries) : this.options.maxRetries;
      if (attempt > retries) {
        return done({ ...result, error: `gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${reason}` }, attempt);
      }
      const delayMs = backoffDelay(attempt, { baseMs: this.options.retryBaseMs, capMs: this.options.retryCapMs, random: this.random });
      this.options.bus.emit("task:retrying", { runId: request.runId ?? "", taskId: request.task.id, attempt: attempt + 1, delayMs, reason });
      this.options.logger.info({ taskId: request.task.id, attempt, delayMs, errorKind: result.errorKind }, `task ${request.task.id}: ${reason}; retrying in ${delayMs} ms`);
      try {
        await sleep(delayMs, request.signal);
      } catch {
        return done({ ...result, errorKind: "aborted", error: failureReason("aborted", undefined, ctx) }, attempt);
      }
    }
  }

  private reasonContext(account: string): ReasonContext {
    const o = this.options;
    return { account, apiKeyEnv: this.apiKeyEnvs.get(account), maxTurns: o.maxTurns, maxBudgetUsd: o.maxBudgetUsd, idleTimeoutMs: o.idleTimeoutMs, sessionTimeoutMs: o.sessionTimeoutMs };
  }

  /** Waits for a global slot and an account slot, in priority order. */
  private acquire(priority: number, seq: number, signal: AbortSignal): Promise<PoolAccount | "aborted" | "disabled"> {
    if (signal.aborted) return Promise.resolve("aborted");
    return new Promise((resolve) => {
      const waiter: Waiter = {
        priority,
        seq,
        resolve: (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        resolve("aborted");
      };
      signal.addEventListener("abort", onAbort, { once: true });
      let at = this.queue.findIndex((w) => w.priority < priority || (w.priority === priority && w.seq > seq));
      if (at < 0) at = this.queue.length;
      this.queue.splice(at, 0, waiter);
      this.pump();
    });
  }

  /** Starts as many waiting requests as the limits allow. */
  private pump(): void {
    while (this.queue.length > 0) {
      if (this.router.allDisabled()) {
        for (const waiter of this.queue.splice(0)) waiter.resolve("disabled");
        return;
      }
      if (this.running >= this.options.maxParallel) return;
      const account = this.router.pick();
      if (!account) return;
      const waiter = this.queue.shift() as Waiter;
      this.running += 1;
      this.router.acquire(account.name);
      waiter.resolve(account);
    }
  }

  /** One attempt: a kappa session with its own watchdog, events recorded and published. */
  private async runAttempt(request: PoolRequest, account: PoolAccount, attempt: number, sessionIds: string[]): Promise<SessionResult> {
    const { bus, logger, scrubber, store, driver } = this.options;
    const taskId = request.task.id;
    const runId = request.runId;
    const sessionId = this.newSessionId();
    sessionIds.push(sessionId);
    const startedAt = this.now();
    try {
      await store?.startSession({ id: sessionId, runId, taskId, attempt, taskAttempt: request.taskAttempt, driver: driver.name, account: account.name, model: account.model, simulated: account.simulated });
    } catch (error) {
      logger.warn({ err: error, sessionId }, "could not record the session start; the session goes on");
    }
    bus.emit("session:started", { runId, taskId, sessionId, account: account.name, simulated: account.simulated });
    const recorder = new EventRecorder({ store, sessionId, logger });
    const watchdog = startWatchdog({ idleTimeoutMs: this.options.idleTimeoutMs, sessionTimeoutMs: this.options.sessionTimeoutMs, parent: request.signal });
    const onEvent = (event: SessionEvent): void => {
      watchdog.touch();
      const text = scrubber.text(event.text);
      bus.emit("session:output", { runId, taskId, sessionId, kind: event.kind, text, tool: event.tool, files: event.files });
      recorder.push({ kind: event.kind, tool: event.tool, text, data: event.data === undefined ? undefined : scrubber.value(event.data) });
    };
    let result: SessionResult;
    try {
      result = await driver.run(request.task, request.workspace, {
        signal: watchdog.signal,
        onEvent,
        account,
        resumeSessionId: attempt === 1 ? request.resumeSessionId : undefined,
        feedback: request.feedback,
        maxTurns: this.options.maxTurns,
        maxBudgetUsd: this.options.maxBudgetUsd,
      });
    } catch (error) {
      logger.error({ err: error, sessionId }, "the session driver threw");
      result = syntheticFailure("internal", describeError(error));
    } finally {
      watchdog.stop();
    }
    if (result.status !== "completed") {
      if (watchdog.verdict) result = { ...result, status: "failed", errorKind: watchdog.verdict, error: failureReason(watchdog.verdict, undefined, this.reasonContext(account.name)) };
      else if (request.signal.aborted) result = { ...result, status: "failed", errorKind: "aborted" };
    }
    if (result.durationMs <= 0) result = { ...result, durationMs: this.now() - startedAt };
    if (result.error !== undefined) result = { ...result, error: scrubber.text(result.error) };
    await recorder.close();
    try {
      await store?.finishSession(sessionId, {
        status: result.status,
        errorKind: result.errorKind,
        error: result.error,
        summary: scrubber.text(result.summary),
        agentSessionId: result.sessionId,
        filesChanged: result.filesChanged,
        turns: result.turns,
        durationMs: result.durationMs,
        usage: result.usage,
        costUsd: result.costUsd,
      });
    } catch (error) {
      logger.warn({ err: error, sessionId }, "could not record the session end");
    }
    bus.emit("session:finished", { runId, taskId, sessionId, status: result.status === "completed" ? "completed" : `failed:${result.errorKind ?? "internal"}`, usage: result.usage, costUsd: result.costUsd, durationMs: result.durationMs });
    return result;
  }
}

function syntheticFailure(kind: SessionResult["errorKind"], error: string): SessionResult {
  return { status: "failed", summary: "", sessionId: undefined, filesChanged: [], usage: emptyUsage(), costUsd: 0, turns: 0, durationMs: 0, errorKind: kind, error };
}

function addUsage(total: TokenUsage, add: TokenUsage): void {
  total.inputTokens += add.inputTokens;
  total.outputTokens += add.outputTokens;
  total.cacheReadTokens += add.cacheReadTokens;
  total.cacheWriteTokens += add.cacheWriteTokens;
}

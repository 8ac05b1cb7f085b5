/**
 * Database outages. When a connection to PostgreSQL is lost (server restarted, backend terminated, network),
 * every query waits instead of failing: kappa probes the server with backoff and, once it answers, runs the
 * reconnect hooks (re-taking the run lock) and lets the waiting queries go on. What does not need the
 * database (running sessions) keeps going; what does (starting a task, merging) pauses. If the server is not
 * back within the reconnect timeout, or a hook refuses (another process took the run lock meanwhile), the
 * outage is final: every waiting and later query fails with that one error.
 */
import type pg from "pg";
import { DatabaseError, sleep, type Logger } from "../core/index.js";

/** SQLSTATE classes and socket errors that mean "the connection is gone", not "the statement is wrong". */
const CONNECTION_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);
const CONNECTION_MESSAGE = /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (?:starting up|shutting down)/i;

/** Whether `error` means the connection was lost (retrying on a new one may succeed). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_MESSAGE.test(error.message);
}

/** The database stayed away longer than `dbReconnectTimeout`. */
export class DatabaseOutageError extends DatabaseError {
  constructor(
    private readonly displayUrl: string,
    private readonly timeoutMs: number,
    options: { cause?: unknown; runId?: string } = {},
  ) {
    const seconds = Math.round(timeoutMs / 1000);
    super(`lost the connection to PostgreSQL at ${displayUrl} and it did not come back within ${seconds} s`, {
      hint: `start the database server (or fix DATABASE_URL), then continue with \`kappa resume${options.runId ? ` ${options.runId}` : ""}\`; wait longer with dbReconnectTimeout (KAPPA_DB_RECONNECT_TIMEOUT, now ${seconds})`,
      cause: options.cause,
    });
  }

  /** The same error, its hint naming the run to resume. */
  forRun(runId: string): DatabaseOutageError {
    return new DatabaseOutageError(this.displayUrl, this.timeoutMs, { cause: this.cause, runId });
  }
}

/** Delay before reconnection attempt `attempt` (1-based): `baseMs` doubled each time, at most `maxMs`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export type OutageState = "up" | "down" | "failed";

export interface OutageGuardOptions {
  /** A query on a fresh connection, bypassing the guard: resolves when the server answers. */
  probe: () => Promise<void>;
  timeoutMs: number;
  displayUrl: string;
  logger: Logger;
  /** First probe delay; doubled up to `maxDelayMs`. @default 100 */
  baseDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
}

/** A hook run after the server answers again, before waiting queries go on; throwing makes the outage final. */
export type ReconnectHook = () => Promise<void>;

export class OutageGuard {
  private state: OutageState = "up";
  private failure: Error | undefined;
  private recovered: Promise<void> = Promise.resolve();
  private readonly hooks = new Set<ReconnectHook>();
  private readonly listeners = new Set<(state: OutageState, error?: Error) => void>();

  constructor(private readonly options: OutageGuardOptions) {}

  get current(): OutageState {
    return this.state;
  }

  /** The error that ended the outage for good, once it has. */
  get finalError(): Error | undefined {
    return this.failure;
  }

  /** Runs `hook` after every reconnection (e.g. re-taking a lock held on a dedicated connection). */
  onReconnect(hook: ReconnectHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Called on every change of state: down (lost), up (back), failed (final). */
  onChange(listener: (state: OutageState, error?: Error) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves while the database is up (at once) or once it is back; rejects when the outage is final. */
  whenUp(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return this.recovered;
  }

  /** A connection was lost: start reconnecting (once per outage). */
  noticeLost(error: unknown): void {
    if (this.state !== "up") return;
    this.state = "down";
    // The reason only: a lost connection is an expected event, not a bug (no stack trace on the user's terminal).
    this.options.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, "lost the connection to PostgreSQL; sessions keep running, starting and merging wait until it is back");
    this.emit("down");
    this.recovered = this.reconnect();
    this.recovered.catch(() => undefined); // observed through whenUp()
  }

  /** Ends the outage for good with `error` (e.g. the run lock was taken by another process). */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.state = "failed";
    this.emit("failed", error);
  }

  private async reconnect(): Promise<void> {
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      if (this.failure) throw this.failure;
      const wait = Math.min(backoffDelay(attempt, this.options.baseDelayMs ?? 100, this.options.maxDelayMs ?? 2000), Math.max(0, deadline - Date.now()));
      await sleep(wait);
      try {
        await this.options.probe();
      } catch (error) {
        if (Date.now() >= deadline) {
          const outage = new DatabaseOutageError(this.options.displayUrl, this.options.timeoutMs, { cause: error });
          this.fail(outage);
          throw outage;
        }
        continue;
      }
      try {
        for (const hook of this.hooks) await hook();
      } catch (error) {
        if (isConnectionError(error) && Date.now() < deadline) continue;
        const final = isConnectionError(error) ? new DatabaseOutageError(this.options.displayUrl, this.options.timeoutMs, { cause: error }) : (error as Error);
        this.fail(final);
        throw final;
      }
      const failedMeanwhile = this.finalError;
      if (failedMeanwhile) throw failedMeanwhile;
      this.state = "up";
      this.options.logger.info({ downMs: Date.now() - started }, "PostgreSQL is back; starting and merging continue");
      this.emit("up");
      return;
    }
  }

  private emit(state: OutageState, error?: Error): void {
    for (const listener of this.listeners) {
      try {
        listener(state, error);
      } catch {
        // A listener's bug must not stop the reconnection.
      }
    }
  }
}

/**
 * Makes `pool.query` and `pool.connect` wait out an outage: a connection error reports the loss to `guard`,
 * waits until the server is back and tries again on a new connection. A statement that failed for another
 * reason fails as before. Clients handed out get an error listener, so that a connection lost while a client
 * is checked out is reported instead of crashing the process. Returns the pool's own (unguarded) functions,
 * for the probe and the reconnect hooks.
 */
export function guardPool(pool: pg.Pool, guard: OutageGuard): { query: (text: string) => Promise<pg.QueryResult>; connect: () => Promise<pg.PoolClient> } {
  const rawQuery = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const rawConnect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const watched = new WeakSet<pg.PoolClient>();
  const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      await guard.whenUp();
      try {
        return await fn();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        guard.noticeLost(error);
      }
    }
  };
  (pool as { query: unknown }).query = (...args: unknown[]): unknown => {
    if (typeof args.at(-1) === "function") return rawQuery(...args); // callback style: left alone
    return retrying(() => rawQuery(...args));
  };
  (pool as { connect: unknown }).connect = (callback?: unknown): unknown => {
    if (typeof callback === "function") return (rawConnect as (cb: unknown) => void)(callback);
    return retrying(async () => {
      const client = await rawConnect();
      if (!watched.has(client)) {
        watched.add(client);
        client.on("error", (error) => guard.noticeLost(error));
      }
      return client;
    });
  };
  return { query: (text) => rawQuery(text), connect: rawConnect };
}

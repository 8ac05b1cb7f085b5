/**
 * Buffers a session's events and writes them to the store in batches: one INSERT per batch instead of one per
 * event keeps the database off the sessions' critical path, while `--follow` still sees events within
 * `flushMs`.
 */
import type { Logger } from "../core/index.js";
import type { SessionEventRecord, SessionStore } from "../knowledge/index.js";

export interface EventRecorderOptions {
  store: SessionStore | undefined;
  sessionId: string;
  logger: Logger;
  /** Largest batch. @default 100 */
  batchSize?: number;
  /** Longest time an event waits in the buffer. @default 250 */
  flushMs?: number;
}

export class EventRecorder {
  private buffer: SessionEventRecord[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly options: EventRecorderOptions) {}

  /** Number of events recorded so far. */
  get count(): number {
    return this.seq;
  }

  push(event: Omit<SessionEventRecord, "seq" | "at">): void {
    this.seq += 1;
    if (!this.options.store) return;
    this.buffer.push({ ...event, seq: this.seq, at: new Date() });
    // The agent's own session id is what an interrupted task resumes its conversation from: written at once,
    // so that a crash right after the session started does not lose it.
    if (this.buffer.length >= (this.options.batchSize ?? 100) || carriesSessionId(event)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs ?? 250);
  }

  /** Writes what is buffered and waits for every write so far. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const store = this.options.store;
    if (!store || this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    // Serialised: batches land in seq order even when the database is slow.
    this.writing = this.writing.then(async () => {
      try {
        await store.appendEvents(this.options.sessionId, batch);
      } catch (error) {
        if (!this.failed) this.options.logger.warn({ err: error, sessionId: this.options.sessionId }, "could not record session events; the session goes on");
        this.failed = true;
      }
    });
  }
}

function carriesSessionId(event: { kind: string; data?: unknown }): boolean {
  return event.kind === "system" && typeof event.data === "object" && event.data !== null && "sessionId" in event.data;
}

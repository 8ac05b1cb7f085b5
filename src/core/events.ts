/**
 * One typed event bus. Logs, metrics, the TUI, the dashboard and `--json` NDJSON are all subscribers; nothing
 * prints from deep inside. Event names are `noun:verb`; payload types live here and only here.
 */

export type RunStatus = "pending" | "running" | "waiting" | "stopped" | "completed" | "partial" | "failed" | "cancelled";
export type TaskStatus =
  | "pending"
  | "running"
  | "completed"
  | "merged"
  | "failed"
  | "skipped"
  | "waiting";

/** Why a task went back from `running` to `pending`: its orchestrator died, or the run was stopped. */
export type InterruptionCause = "crash" | "stop";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface KappaEvents {
  /** `sandboxed`: false when the run was started with `--no-sandbox`. */
  "run:started": { runId: string; tasks: number; maxParallel: number; schedule: string; simulated: boolean; sandboxed: boolean };
  "run:resumed": { runId: string; remaining: number };
  "run:stopping": { runId: string; reason: string };
  "run:finished": {
    runId: string;
    status: RunStatus;
    tasks: { completed: string[]; failed: string[]; skipped: string[]; conflict: string[] };
    integrationBranch: string;
    costUsd: number;
    makespanMs: number;
    serialMs: number;
  };
  "plan:warning": { runId?: string; message: string };
  "plan:ready": { runId?: string; tasks: number; waves: number; planner: string };
  "task:started": { runId: string; taskId: string; attempt: number; worktree: string };
  "task:retrying": { runId: string; taskId: string; attempt: number; delayMs: number; reason: string };
  "task:completed": { runId: string; taskId: string; attempt: number; durationMs: number; costUsd: number; filesChanged: string[] };
  "task:failed": { runId: string; taskId: string; attempt: number; reason: string; errorKind: string };
  "task:skipped": { runId: string; taskId: string; reason: string };
  "task:waiting": { runId: string; taskId: string; reason: string };
  "session:started": { runId?: string; taskId: string; sessionId: string; account: string; simulated: boolean };
  "session:output": {
    runId?: string;
    taskId: string;
    sessionId: string;
    kind: "text" | "tool_use" | "tool_result" | "result" | "system" | "error";
    text: string;
    tool?: string;
    files?: string[];
  };
  "session:finished": { runId?: string; taskId: string; sessionId: string; status: string; usage: TokenUsage; costUsd: number; durationMs: number };
  "database:lost": { runId?: string; reason: string };
  "database:restored": { runId?: string; downMs: number };
  "breaker:opened": { account: string; untilMs: number; reason: string };
  "breaker:closed": { account: string };
  "merge:done": { runId: string; taskId: string; commit: string; strategy: string; files: string[] };
  "merge:conflict": { runId: string; taskId: string; files: string[]; conflictId?: string };
  "merge:reverted": { runId: string; taskId: string; reason: string };
  "conflict:predicted": { runId: string; taskIds: string[]; file: string };
  "conflict:resolved": { runId: string; taskId: string; conflictId: string; strategy: string };
  "conflict:queued": { runId: string; taskId: string; conflictId: string; files: string[] };
  "gate:passed": { runId: string; taskId: string; durationMs: number };
  "gate:failed": { runId: string; taskId: string; output: string };
  "workspace:leftover": { path: string; reason: string };
  /** Something other than kappa changed the user's checkout or moved the integration branch during the run. */
  "checkout:changed": {
    runId: string;
    changes: { what: "head" | "branch" | "ref" | "index"; ref?: string; before?: string; after?: string; message: string }[];
  };
  "commit:excluded": { runId: string; taskId: string; files: { path: string; reason: "temp-file" | "secret-file" }[] };
  log: { level: "debug" | "info" | "warn" | "error"; message: string; runId?: string };
}

export type EventType = keyof KappaEvents;
export type KappaEvent = { [K in EventType]: { type: K; at: string } & KappaEvents[K] }[EventType];

type Handler<K extends EventType> = (event: { type: K; at: string } & KappaEvents[K]) => void;
type AnyHandler = (event: KappaEvent) => void;

/**
 * A small synchronous typed event bus. A throwing subscriber is isolated: it never breaks the emitter or
 * the other subscribers.
 */
export class EventBus {
  private readonly handlers = new Map<EventType, Set<Handler<never>>>();
  private readonly anyHandlers = new Set<AnyHandler>();

  on<K extends EventType>(type: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  onAny(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  emit<K extends EventType>(type: K, payload: KappaEvents[K]): void {
    const event = { type, at: new Date().toISOString(), ...payload } as { type: K; at: string } & KappaEvents[K];
    for (const handler of this.handlers.get(type) ?? []) safeCall(() => (handler as Handler<K>)(event));
    for (const handler of this.anyHandlers) safeCall(() => handler(event as unknown as KappaEvent));
  }
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    // A subscriber's bug must not break the run; subscribers log their own failures.
  }
}

/** Request and token counters of a simulator, per task and per session, for tests and benches. */
import type { TokenUsage } from "../core/index.js";

export interface SimulatorCounter {
  requests: number;
  /** Requests answered with an injected fault. */
  faults: number;
  usage: TokenUsage;
}

export interface SimulatorStats {
  requests: number;
  faults: number;
  usage: TokenUsage;
  /** By task id (from the prompt's `Task id:` line; "(none)" when absent). */
  tasks: Record<string, SimulatorCounter>;
  /** By Claude Code session id (the `x-claude-code-session-id` header; "(none)" when absent). */
  sessions: Record<string, SimulatorCounter & { taskId: string | undefined }>;
}

function emptyCounter(): SimulatorCounter {
  return { requests: 0, faults: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } };
}

function add(counter: SimulatorCounter, usage: TokenUsage | undefined, fault: boolean): void {
  counter.requests++;
  if (fault) counter.faults++;
  if (!usage) return;
  counter.usage.inputTokens += usage.inputTokens;
  counter.usage.outputTokens += usage.outputTokens;
  counter.usage.cacheReadTokens += usage.cacheReadTokens;
  counter.usage.cacheWriteTokens += usage.cacheWriteTokens;
}

export class StatsRecorder {
  private readonly total = emptyCounter();
  private readonly tasks = new Map<string, SimulatorCounter>();
  private readonly sessions = new Map<string, SimulatorCounter & { taskId: string | undefined }>();

  /** Counts one request; `usage` is what the reply billed (undefined for a fault). */
  record(taskId: string | undefined, sessionId: string | undefined, usage: TokenUsage | undefined, fault: boolean): void {
    add(this.total, usage, fault);
    const t = taskId ?? "(none)";
    let task = this.tasks.get(t);
    if (!task) this.tasks.set(t, (task = emptyCounter()));
    add(task, usage, fault);
    const s = sessionId ?? "(none)";
    let session = this.sessions.get(s);
    if (!session) this.sessions.set(s, (session = { ...emptyCounter(), taskId }));
    session.taskId ??= taskId;
    add(session, usage, fault);
  }

  snapshot(): SimulatorStats {
    const clone = <T>(v: T): T => structuredClone(v);
    return {
      requests: this.total.requests,
      faults: this.total.faults,
      usage: clone(this.total.usage),
      tasks: Object.fromEntries([...this.tasks].map(([k, v]) => [k, clone(v)])),
      sessions: Object.fromEntries([...this.sessions].map(([k, v]) => [k, clone(v)])),
    };
  }
}

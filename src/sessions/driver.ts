/**
 * The session driver interface: one agent session working on one task in one worktree.
 * Expected failures are values (`status: "failed"` with an `errorKind`); exceptions are for bugs.
 */
import type { PlannedTask, TokenUsage } from "../core/index.js";

/** Why a session failed; decides whether the pool retries it. */
export type SessionErrorKind =
  | "rate_limited" // 429: retryable after retry-after, opens the breaker
  | "overloaded" // 529: retryable, opens the breaker
  | "server_error" // 5xx: retryable
  | "stalled" // watchdog: no event for idleTimeout: retryable
  | "timeout" // hard timeout: retryable
  | "auth" // bad key: fatal, fail fast
  | "budget" // maxBudgetUsd reached: fatal
  | "max_turns" // maxTurns reached: fatal
  | "aborted" // cancelled by the user
  | "agent_error" // the agent reported an error or exited non-zero: retryable
  | "internal"; // a bug in kappa or the CLI: retryable once

export const RETRYABLE_ERROR_KINDS: ReadonlySet<SessionErrorKind> = new Set([
  "rate_limited",
  "overloaded",
  "server_error",
  "stalled",
  "timeout",
  "agent_error",
  "internal",
]);

export interface SessionEvent {
  kind: "text" | "tool_use" | "tool_result" | "result" | "system" | "error";
  text: string;
  tool?: string;
  /** Files a tool call touches (absolute or worktree-relative), for conflict prediction. */
  files?: string[];
  data?: unknown;
}

export interface SessionWorkspace {
  /** Absolute path of the task's worktree; the session's cwd. */
  dir: string;
  /** Extra environment for the session (PORT, KAPPA_PORT_BASE, KAPPA_TASK_ID…). */
  env: Record<string, string>;
}

/** Where and as whom a session runs (one of the configured accounts). */
export interface SessionAccount {
  name: string;
  /** The API key value: pass it to the child process only, never log or store it. */
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
  simulated: boolean;
}

export interface SessionRunOptions {
  signal: AbortSignal;
  onEvent: (event: SessionEvent) => void;
  account: SessionAccount;
  /** Agent session id to resume (a previous attempt's), when the driver supports it. */
  resumeSessionId?: string | undefined;
  /** Extra text appended to the prompt (e.g. the failure output of a previous attempt). */
  feedback?: string | undefined;
  maxTurns: number;
  maxBudgetUsd: number;
}

export interface SessionResult {
  status: "completed" | "failed";
  summary: string;
  /** The agent's own session id (Claude Code session id), for resume. */
  sessionId: string | undefined;
  filesChanged: string[];
  usage: TokenUsage;
  costUsd: number;
  turns: number;
  durationMs: number;
  errorKind?: SessionErrorKind | undefined;
  error?: string | undefined;
  /** For rate limits: how long the server asked us to wait. */
  retryAfterMs?: number | undefined;
  /** Overrides RETRYABLE_ERROR_KINDS for this failure (e.g. `false` for a command that does not exist). */
  retryable?: boolean | undefined;
}

export interface SessionDriver {
  readonly name: string;
  run(task: PlannedTask, workspace: SessionWorkspace, options: SessionRunOptions): Promise<SessionResult>;
}

export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

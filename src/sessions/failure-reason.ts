/**
 * One clear sentence per failure kind, saying what happened and what to do, for `task:failed`, `kappa status`
 * and the session row.
 */
import type { SessionErrorKind } from "./driver.js";

export interface ReasonContext {
  account: string;
  /** Environment variable holding the account's key. @default ANTHROPIC_API_KEY */
  apiKeyEnv?: string | undefined;
  maxTurns: number;
  maxBudgetUsd: number;
  idleTimeoutMs: number;
  sessionTimeoutMs: number;
}

/** The reason for one failed attempt of this kind; `detail` is the driver's own message. */
export function failureReason(kind: SessionErrorKind | undefined, detail: string | undefined, ctx: ReasonContext): string {
  const tail = detail ? `: ${detail}` : "";
  switch (kind) {
    case "auth":
      return `the API key for account ${ctx.account} was rejected; check ${ctx.apiKeyEnv ?? "ANTHROPIC_API_KEY"}`;
    case "budget":
      return `the session reached its budget of $${ctx.maxBudgetUsd} (maxBudgetUsd); raise KAPPA_MAX_BUDGET_USD or split the task`;
    case "max_turns":
      return `the session used all ${ctx.maxTurns} turns (maxTurns); raise KAPPA_MAX_TURNS or split the task`;
    case "aborted":
      return "the session was cancelled";
    case "stalled":
      return `the session produced no output for ${seconds(ctx.idleTimeoutMs)} and was stopped by the watchdog (idleTimeout)`;
    case "timeout":
      return `the session ran longer than ${seconds(ctx.sessionTimeoutMs)} and was stopped (sessionTimeout)`;
    case "rate_limited":
      return `account ${ctx.account} is rate limited (429)${tail}`;
    case "overloaded":
      return `the API behind account ${ctx.account} is overloaded (529)${tail}`;
    case "server_error":
      return `the API behind account ${ctx.account} failed (5xx)${tail}`;
    case "agent_error":
      return `the agent failed${tail}`;
    case "internal":
    case undefined:
      return `internal error${tail}`;
  }
}

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

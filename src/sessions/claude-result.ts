/**
 * Classifies how a Claude Code session ended. The CLI reports API failures in several places (an assistant
 * message with `error`, a result with `is_error: true` even when its subtype is "success", an iterator that
 * throws afterwards, an `api_retry` notice), so every one of them is read here.
 */
import { describeError } from "../core/index.js";
import { kindFromApiError, kindFromStatus, type SessionTracker } from "./claude-messages.js";
import type { SessionErrorKind } from "./driver.js";

export interface SessionOutcome {
  status: "completed" | "failed";
  summary: string;
  errorKind?: SessionErrorKind | undefined;
  error?: string | undefined;
  retryAfterMs?: number | undefined;
}

const KIND_TEXT: Record<SessionErrorKind, string> = {
  rate_limited: "rate limited by the API (429)",
  overloaded: "the API is overloaded (529)",
  server_error: "the API failed with a server error",
  stalled: "the session stalled",
  timeout: "the session timed out",
  auth: "the API rejected the key (authentication failed)",
  budget: "the session reached its spending limit (maxBudgetUsd)",
  max_turns: "the session reached its turn limit (maxTurns)",
  aborted: "the session was aborted",
  agent_error: "the agent reported an error",
  internal: "Claude Code failed unexpectedly",
};

function failed(kind: SessionErrorKind, detail: string | undefined, retryAfterMs?: number): SessionOutcome {
  const error = detail ? `${KIND_TEXT[kind]}: ${detail}` : KIND_TEXT[kind];
  return { status: "failed", summary: error, errorKind: kind, error, retryAfterMs };
}

export function classifySession(tracker: SessionTracker, aborted: boolean, thrown: unknown, stderrTail: string): SessionOutcome {
  if (aborted) return failed("aborted", undefined);
  const announced = tracker.retryAnnounced;
  if (announced) {
    return failed(announced.kind, tracker.lastFailure?.message, announced.kind === "rate_limited" ? announced.retryAfterMs : undefined);
  }
  const result = tracker.result;
  const failure = tracker.lastFailure;
  if (result) {
    const r = result as typeof result & { result?: string; errors?: string[]; api_error_status?: number | null };
    const text = (r.result ?? (r.errors ?? []).join("; ")).trim();
    if (result.subtype === "error_max_turns") return failed("max_turns", `${result.num_turns} turns`);
    if (result.subtype === "error_max_budget_usd") return failed("budget", `$${result.total_cost_usd.toFixed(4)} spent`);
    if (!result.is_error && result.subtype === "success") {
      return { status: "completed", summary: text || tracker.lastAssistantText() || "completed" };
    }
    const kind = kindFromStatus(r.api_error_status ?? failure?.status) ?? kindFromApiError(failure?.error) ?? "agent_error";
    return failed(kind, text || failure?.message || result.subtype);
  }
  if (failure) {
    return failed(kindFromStatus(failure.status) ?? kindFromApiError(failure.error) ?? "agent_error", failure.message);
  }
  const detail = [thrown === undefined ? "Claude Code ended without a result" : describeError(thrown), stderrTail.trim().split("\n").slice(-3).join(" ")]
    .filter(Boolean)
    .join(" — ");
  return failed(thrown === undefined ? "agent_error" : "internal", detail);
}

/**
 * Retry delays: exponential backoff with full jitter (a uniformly random delay in [0, min(cap, base·2^(n-1))]),
 * so that many sessions failing together do not retry together and hammer a recovering API in lockstep.
 */
import { RETRYABLE_ERROR_KINDS, type SessionErrorKind } from "./driver.js";

/** Longest wait between two attempts unless the server asked for more. */
export const DEFAULT_RETRY_CAP_MS = 60_000;

export interface BackoffOptions {
  baseMs: number;
  capMs?: number;
  /** A uniform random number in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

/** The ceiling of the jitter window before the `failures`-th retry (1-based). */
export function backoffCeiling(failures: number, baseMs: number, capMs = DEFAULT_RETRY_CAP_MS): number {
  const exponent = Math.max(0, Math.min(30, failures - 1));
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/** Full-jitter delay before the `failures`-th retry (1-based). */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  const ceiling = backoffCeiling(failures, options.baseMs, options.capMs);
  const r = Math.min(Math.max(options.random(), 0), 1);
  return Math.floor(r * ceiling);
}

/** Whether a failure of this kind is worth another attempt. Undefined kinds are bugs: retry them. */
export function isRetryable(kind: SessionErrorKind | undefined): boolean {
  return kind === undefined || RETRYABLE_ERROR_KINDS.has(kind);
}

/** Kinds that mean the account (not the task) is in trouble: they open the account's breaker. */
export function opensBreaker(kind: SessionErrorKind | undefined): boolean {
  return kind === "rate_limited" || kind === "overloaded";
}

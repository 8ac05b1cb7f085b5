/**
 * A circuit breaker per account. A 429/529 means the whole account is throttled: starting more sessions on it
 * only burns retries, so new starts pause until the server's retry-after (or a growing backoff) has passed,
 * then the breaker closes by itself.
 */
import type { EventBus } from "../core/index.js";
import { backoffCeiling } from "./retry.js";

export interface BreakerOptions {
  account: string;
  bus: EventBus;
  /** Backoff base when the server gave no retry-after. */
  baseMs: number;
  capMs?: number;
  now: () => number;
  /** Called when the breaker closes, so that waiting work can start. */
  onClose: () => void;
}

export class CircuitBreaker {
  private untilMs = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Consecutive openings without a success in between: grows the backoff when no retry-after is given. */
  private openings = 0;

  constructor(private readonly options: BreakerOptions) {}

  /** True while new starts on this account must wait. */
  isOpen(): boolean {
    return this.timer !== undefined;
  }

  /** When the breaker closes (epoch ms), or 0 when closed. */
  openUntil(): number {
    return this.isOpen() ? this.untilMs : 0;
  }

  /** Opens (or extends) the breaker for `retryAfterMs`, or for an exponential backoff when it is unknown. */
  trip(reason: string, retryAfterMs: number | undefined): void {
    this.openings += 1;
    const waitMs = retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : backoffCeiling(this.openings, Math.max(1, this.options.baseMs), this.options.capMs);
    const until = this.options.now() + waitMs;
    if (this.timer !== undefined && until <= this.untilMs) return;
    this.untilMs = until;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(), Math.max(0, waitMs));
    this.options.bus.emit("breaker:opened", { account: this.options.account, untilMs: until, reason });
  }

  /** A session on the account succeeded: the next trip starts from the base backoff again. */
  recordSuccess(): void {
    this.openings = 0;
  }

  /** Stops the timer (pool shutdown) without announcing anything. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private close(): void {
    this.timer = undefined;
    this.untilMs = 0;
    this.options.bus.emit("breaker:closed", { account: this.options.account });
    this.options.onClose();
  }
}

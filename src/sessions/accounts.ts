/**
 * Account routing and health: which configured account (API key / endpoint) a new session starts on.
 * The least loaded healthy account wins, so that several accounts share the work and a throttled or
 * rejected one is avoided until it recovers.
 */
import type { EventBus } from "../core/index.js";
import { CircuitBreaker } from "./breaker.js";
import type { SessionAccount, SessionErrorKind } from "./driver.js";

/** An account plus how many sessions it may run at once. */
export interface PoolAccount extends SessionAccount {
  maxConcurrent: number;
}

/** What `kappa status` and tests can see about an account. */
export interface AccountHealth {
  name: string;
  active: number;
  maxConcurrent: number;
  started: number;
  succeeded: number;
  failed: number;
  consecutiveFailures: number;
  /** A rejected key disables the account for the rest of the process. */
  disabled: boolean;
  breakerOpenUntil: number;
  lastError: string | undefined;
}

interface AccountState {
  account: PoolAccount;
  breaker: CircuitBreaker;
  active: number;
  started: number;
  succeeded: number;
  failed: number;
  consecutiveFailures: number;
  disabled: boolean;
  lastError: string | undefined;
}

export interface AccountRouterOptions {
  accounts: PoolAccount[];
  bus: EventBus;
  breakerBaseMs: number;
  now: () => number;
  /** Called whenever capacity may have appeared (a breaker closed). */
  onCapacity: () => void;
}

export class AccountRouter {
  private readonly states: AccountState[];

  constructor(options: AccountRouterOptions) {
    this.states = options.accounts.map((account) => ({
      account,
      breaker: new CircuitBreaker({ account: account.name, bus: options.bus, baseMs: options.breakerBaseMs, now: options.now, onClose: options.onCapacity }),
      active: 0,
      started: 0,
      succeeded: 0,
      failed: 0,
      consecutiveFailures: 0,
      disabled: false,
      lastError: undefined,
    }));
  }

  /** The account a new session should start on now, or undefined when every usable account is busy or paused. */
  pick(): PoolAccount | undefined {
    let best: AccountState | undefined;
    for (const state of this.states) {
      if (state.disabled || state.breaker.isOpen() || state.active >= state.account.maxConcurrent) continue;
      if (!best || compareLoad(state, best) < 0) best = state;
    }
    return best?.account;
  }

  /** True when no account can ever start a session again (every key was rejected). */
  allDisabled(): boolean {
    return this.states.every((s) => s.disabled);
  }

  acquire(name: string): void {
    const state = this.state(name);
    state.active += 1;
    state.started += 1;
  }

  /** Records an attempt's outcome and frees its slot. */
  release(name: string, outcome: { ok: boolean; errorKind?: SessionErrorKind | undefined; error?: string | undefined; retryAfterMs?: number | undefined }): void {
    const state = this.state(name);
    state.active = Math.max(0, state.active - 1);
    if (outcome.ok) {
      state.succeeded += 1;
      state.consecutiveFailures = 0;
      state.breaker.recordSuccess();
      return;
    }
    if (outcome.errorKind === "aborted") return;
    state.failed += 1;
    state.consecutiveFailures += 1;
    state.lastError = outcome.error ?? outcome.errorKind;
    if (outcome.errorKind === "auth") state.disabled = true;
    if (outcome.errorKind === "rate_limited" || outcome.errorKind === "overloaded") {
      const reason = outcome.errorKind === "rate_limited" ? "rate limited (429)" : "API overloaded (529)";
      state.breaker.trip(reason, outcome.retryAfterMs);
    }
  }

  health(): AccountHealth[] {
    return this.states.map((s) => ({
      name: s.account.name,
      active: s.active,
      maxConcurrent: s.account.maxConcurrent,
      started: s.started,
      succeeded: s.succeeded,
      failed: s.failed,
      consecutiveFailures: s.consecutiveFailures,
      disabled: s.disabled,
      breakerOpenUntil: s.breaker.openUntil(),
      lastError: s.lastError,
    }));
  }

  dispose(): void {
    for (const s of this.states) s.breaker.dispose();
  }

  private state(name: string): AccountState {
    const state = this.states.find((s) => s.account.name === name);
    if (!state) throw new Error(`unknown account ${name}`);
    return state;
  }
}

/** Lower is better: relative load, then recent failures, then fewer sessions so far (spreads evenly). */
function compareLoad(a: AccountState, b: AccountState): number {
  const load = a.active / a.account.maxConcurrent - b.active / b.account.maxConcurrent;
  if (load !== 0) return load;
  if (a.consecutiveFailures !== b.consecutiveFailures) return a.consecutiveFailures - b.consecutiveFailures;
  return a.started - b.started;
}

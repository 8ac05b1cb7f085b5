/**
 * A watchdog per session attempt. The Claude Code CLI does not notice a stalled stream for minutes, and an
 * agent can loop for ever: kappa aborts the attempt itself when no event arrived for `idleTimeoutMs`
 * (→ `stalled`) or when it ran longer than `sessionTimeoutMs` (→ `timeout`).
 */

export type WatchdogVerdict = "stalled" | "timeout";

export interface Watchdog {
  /** Aborted when the watchdog fires or the parent signal aborts; hand it to the driver. */
  readonly signal: AbortSignal;
  /** Why the watchdog fired, undefined while it has not. */
  readonly verdict: WatchdogVerdict | undefined;
  /** An event arrived: the session is alive. */
  touch(): void;
  /** The attempt is over: stop the timers. */
  stop(): void;
}

export interface WatchdogOptions {
  idleTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The caller's signal: aborting it aborts the attempt too (without a verdict). */
  parent: AbortSignal;
}

export function startWatchdog(options: WatchdogOptions): Watchdog {
  const controller = new AbortController();
  let verdict: WatchdogVerdict | undefined;
  let stopped = false;
  const fire = (why: WatchdogVerdict): void => {
    if (stopped || controller.signal.aborted) return;
    verdict = why;
    clear();
    controller.abort(new Error(why === "stalled" ? `no event for ${options.idleTimeoutMs} ms` : `session exceeded ${options.sessionTimeoutMs} ms`));
  };
  let idle: NodeJS.Timeout | undefined = setTimeout(() => fire("stalled"), options.idleTimeoutMs);
  const hard: NodeJS.Timeout = setTimeout(() => fire("timeout"), options.sessionTimeoutMs);
  const onParentAbort = (): void => {
    clear();
    controller.abort(options.parent.reason);
  };
  function clear(): void {
    if (idle) clearTimeout(idle);
    idle = undefined;
    clearTimeout(hard);
    options.parent.removeEventListener("abort", onParentAbort);
  }
  if (options.parent.aborted) onParentAbort();
  else options.parent.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get verdict() {
      return verdict;
    },
    touch() {
      if (stopped || controller.signal.aborted) return;
      idle?.refresh();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}

/**
 * How a run is stopped. `stop()` (Ctrl-C once, or `kappa cancel` after its grace) stops starting tasks and
 * lets running ones finish; `abort()` (Ctrl-C twice) aborts running sessions at once. Either way the run
 * can be resumed: finished tasks stay finished, interrupted ones restart.
 */
export class RunControl {
  private readonly controller = new AbortController();
  private stopReason: string | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopping(): boolean {
    return this.stopReason !== undefined || this.controller.signal.aborted;
  }

  get reason(): string | undefined {
    return this.stopReason;
  }

  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  abort(reason: string): void {
    this.stopReason = reason;
    if (!this.controller.signal.aborted) this.controller.abort(new Error(reason));
  }
}

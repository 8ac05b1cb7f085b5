/**
 * Typed errors. A message says what happened; `hint` says what to do next.
 * Only `cli/` turns errors into exit codes: {@link KappaError.exitCode}.
 */

export type ErrorCode =
  | "CONFIG_INVALID"
  | "USAGE"
  | "INPUT_INVALID"
  | "NOT_FOUND"
  | "NOT_A_GIT_REPO"
  | "PLAN_INVALID"
  | "PLAN_CYCLE"
  | "DATABASE"
  | "DATABASE_ROOT_USER"
  | "GIT"
  | "RUN_LOCKED"
  | "RUN_STATE"
  | "TASK_TRANSITION"
  | "TASK_STALE_ATTEMPT"
  | "SESSION"
  | "SESSION_TIMEOUT"
  | "AUTH"
  | "CONFLICT"
  | "ABORTED"
  | "INTERNAL";

export interface KappaErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
}

export class KappaError extends Error {
  override readonly name: string = "KappaError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** 2 = bad input or usage, 1 = anything else that failed. */
  readonly exitCode: 1 | 2;

  constructor(code: ErrorCode, message: string, options: KappaErrorOptions = {}, exitCode: 1 | 2 = 1) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.exitCode = exitCode;
  }
}

/** Bad input from the user: a file, an argument, a name. Exit code 2. */
export class InputError extends KappaError {
  override readonly name: string = "InputError";
  constructor(message: string, options: KappaErrorOptions = {}, code: ErrorCode = "INPUT_INVALID") {
    super(code, message, options, 2);
  }
}

export class UsageError extends InputError {
  override readonly name = "UsageError";
  constructor(message: string, options: KappaErrorOptions = {}) {
    super(message, options, "USAGE");
  }
}

export class ConfigError extends InputError {
  override readonly name = "ConfigError";
  constructor(message: string, options: KappaErrorOptions = {}) {
    super(message, options, "CONFIG_INVALID");
  }
}

export class NotFoundError extends InputError {
  override readonly name = "NotFoundError";
  constructor(message: string, options: KappaErrorOptions = {}) {
    super(message, options, "NOT_FOUND");
  }
}

export class NotGitRepoError extends InputError {
  override readonly name = "NotGitRepoError";
  constructor(dir: string, options: KappaErrorOptions = {}) {
    super(`${dir} is not inside a git repository`, {
      hint: options.hint ?? `run \`git init\` there (and commit once), or pass --project <dir> pointing at a git repository`,
      cause: options.cause,
    }, "NOT_A_GIT_REPO");
  }
}

export class PlanError extends InputError {
  override readonly name: string = "PlanError";
  constructor(message: string, options: KappaErrorOptions = {}, code: ErrorCode = "PLAN_INVALID") {
    super(message, options, code);
  }
}

export class PlanCycleError extends PlanError {
  override readonly name = "PlanCycleError";
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[], options: KappaErrorOptions = {}) {
    super(`the task dependencies form a cycle: ${cycle.join(" -> ")}`, {
      hint: options.hint ?? "remove one of these dependencies so that the tasks can run in some order",
      cause: options.cause,
    }, "PLAN_CYCLE");
    this.cycle = cycle;
  }
}

export class DatabaseError extends KappaError {
  override readonly name = "DatabaseError";
  constructor(message: string, options: KappaErrorOptions = {}, code: ErrorCode = "DATABASE") {
    super(code, message, options, 1);
  }
}

export class GitError extends KappaError {
  override readonly name = "GitError";
  readonly stderr: string;
  constructor(message: string, stderr = "", options: KappaErrorOptions = {}) {
    super("GIT", message, options, 1);
    this.stderr = stderr;
  }
}

export class RunLockedError extends InputError {
  override readonly name = "RunLockedError";
  constructor(runId: string) {
    super(`run ${runId} is already being driven by another kappa process`, {
      hint: `wait for it to finish, watch it with \`kappa status ${runId}\`, or stop it with \`kappa cancel ${runId}\``,
    }, "RUN_LOCKED");
  }
}

/**
 * A task status change that the lifecycle does not allow from the task's current status (a bug, or a row
 * changed by another process). Nothing was written.
 */
export class IllegalTransitionError extends KappaError {
  override readonly name = "IllegalTransitionError";
  constructor(
    readonly taskId: string,
    readonly transition: string,
    readonly status: string,
  ) {
    super("TASK_TRANSITION", `task ${taskId} cannot ${transition} while it is ${status}`, { hint: "see docs/task-lifecycle.md for the allowed transitions" });
  }
}

/**
 * A result that belongs to an older attempt of a task: the task was started again since (after a crash, or by
 * another process), so the result is ignored. Nothing was written.
 */
export class StaleAttemptError extends KappaError {
  override readonly name = "StaleAttemptError";
  constructor(
    readonly taskId: string,
    readonly attempt: number,
    readonly current: number,
  ) {
    super("TASK_STALE_ATTEMPT", `task ${taskId}: attempt ${attempt} is stale (the task is at attempt ${current}); its result is ignored`);
  }
}

export class SessionError extends KappaError {
  override readonly name: string = "SessionError";
  constructor(message: string, options: KappaErrorOptions = {}, code: ErrorCode = "SESSION") {
    super(code, message, options, 1);
  }
}

export class SessionTimeoutError extends SessionError {
  override readonly name = "SessionTimeoutError";
  constructor(message: string, options: KappaErrorOptions = {}) {
    super(message, options, "SESSION_TIMEOUT");
  }
}

export class AbortError extends KappaError {
  override readonly name = "AbortError";
  constructor(message = "the operation was aborted", options: KappaErrorOptions = {}) {
    super("ABORTED", message, options, 1);
  }
}

export function isKappaError(error: unknown): error is KappaError {
  return error instanceof KappaError;
}

/** Throws an {@link AbortError} when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError("the operation was aborted", { cause: signal.reason });
}

/** A one-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

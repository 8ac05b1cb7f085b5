import { describe, expect, it } from "vitest";
import {
  AbortError,
  ConfigError,
  DatabaseError,
  GitError,
  InputError,
  KappaError,
  NotFoundError,
  NotGitRepoError,
  PlanCycleError,
  PlanError,
  RunLockedError,
  SessionError,
  SessionTimeoutError,
  UsageError,
  describeError,
  isKappaError,
  throwIfAborted,
} from "../../../src/core/index.js";

describe("typed errors", () => {
  it("gives bad input exit code 2 and every other failure exit code 1, each with its own code", () => {
    const cases: Array<[KappaError, string, 1 | 2]> = [
      [new InputError("x"), "INPUT_INVALID", 2],
      [new UsageError("x"), "USAGE", 2],
      [new ConfigError("x"), "CONFIG_INVALID", 2],
      [new NotFoundError("x"), "NOT_FOUND", 2],
      [new NotGitRepoError("/p"), "NOT_A_GIT_REPO", 2],
      [new PlanError("x"), "PLAN_INVALID", 2],
      [new PlanCycleError(["a", "b", "a"]), "PLAN_CYCLE", 2],
      [new RunLockedError("r1"), "RUN_LOCKED", 2],
      [new DatabaseError("x"), "DATABASE", 1],
      [new GitError("x", "stderr text"), "GIT", 1],
      [new SessionError("x"), "SESSION", 1],
      [new SessionTimeoutError("x"), "SESSION_TIMEOUT", 1],
      [new AbortError(), "ABORTED", 1],
    ];
    for (const [error, code, exitCode] of cases) {
      expect(error).toBeInstanceOf(KappaError);
      expect(error).toBeInstanceOf(Error);
      expect(isKappaError(error)).toBe(true);
      expect({ name: error.name, code: error.code, exitCode: error.exitCode }).toEqual({ name: error.constructor.name, code, exitCode });
    }
  });

  it("keeps the hint and the cause it was given", () => {
    const cause = new Error("ECONNREFUSED");
    const error = new DatabaseError("cannot connect", { hint: "start the server", cause });
    expect(error.message).toBe("cannot connect");
    expect(error.hint).toBe("start the server");
    expect(error.cause).toBe(cause);
    expect(new InputError("no cause").cause).toBeUndefined();
  });

  it("keeps the subclass relationships callers test with instanceof", () => {
    expect(new ConfigError("x")).toBeInstanceOf(InputError);
    expect(new PlanCycleError(["a", "b"])).toBeInstanceOf(PlanError);
    expect(new SessionTimeoutError("x")).toBeInstanceOf(SessionError);
    expect(new DatabaseError("x")).not.toBeInstanceOf(InputError);
  });

  it("tells the user how to fix a missing git repository and a dependency cycle", () => {
    const notRepo = new NotGitRepoError("/home/me/app");
    expect(notRepo.message).toContain("/home/me/app");
    expect(notRepo.hint).toContain("git init");
    const cycle = new PlanCycleError(["a", "b", "a"]);
    expect(cycle.message).toContain("a -> b -> a");
    expect(cycle.cycle).toEqual(["a", "b", "a"]);
    expect(cycle.hint).toBeTruthy();
    expect(new GitError("merge failed", "CONFLICT in x").stderr).toBe("CONFLICT in x");
  });

  it("does not treat plain errors as kappa errors, and describes any thrown value", () => {
    expect(isKappaError(new Error("x"))).toBe(false);
    expect(isKappaError("x")).toBe(false);
    expect(describeError(new Error("boom"))).toBe("boom");
    expect(describeError(42)).toBe("42");
  });

  it("throws an AbortError carrying the reason only once a signal is aborted", () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    controller.abort("user pressed Ctrl-C");
    expect(() => throwIfAborted(controller.signal)).toThrow(AbortError);
    try {
      throwIfAborted(controller.signal);
    } catch (error) {
      expect((error as AbortError).cause).toBe("user pressed Ctrl-C");
    }
  });
});

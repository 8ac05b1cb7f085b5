/** Sessions: drivers (Claude Code, a command, a fake), the pool with retries, watchdog, breaker and accounts. */
export * from "./driver.js";

// Claude driver (Agent SDK) and the structured query for the Claude planner.
export { ClaudeDriver, DISALLOWED_TOOLS } from "./claude-driver.js";
export type { ClaudeDriverOptions } from "./claude-driver.js";
export { runStructuredQuery } from "./structured-query.js";
export type { StructuredQueryOptions, StructuredQueryResult } from "./structured-query.js";
export { findClaudeExecutable } from "./claude-executable.js";
export { CLAUDE_CLI_MAX_RETRIES } from "./claude-env.js";
export { checkToolUse } from "./tool-guard.js";
export { bwrapArgs, claudeSandboxSettings, missingSandboxPrograms, SANDBOX_INSTALL, SANDBOX_PROGRAMS } from "./sandbox.js";
export type { SandboxPaths, SandboxPolicy } from "./sandbox.js";

// Pool, retries, watchdog, breaker, accounts, command and fake drivers, event recording.
export { SessionPool } from "./pool.js";
export type { PoolAccountConfig, SessionPoolOptions, PoolRequest, PoolResult } from "./pool.js";
export { DEFAULT_RETRY_CAP_MS, backoffCeiling, backoffDelay, isRetryable, opensBreaker } from "./retry.js";
export type { BackoffOptions } from "./retry.js";
export { startWatchdog } from "./watchdog.js";
export type { Watchdog, WatchdogOptions, WatchdogVerdict } from "./watchdog.js";
export { CircuitBreaker } from "./breaker.js";
export type { BreakerOptions } from "./breaker.js";
export { AccountRouter } from "./accounts.js";
export type { PoolAccount, AccountHealth, AccountRouterOptions } from "./accounts.js";
export { CommandDriver, renderTemplate, shellQuote, commandPrompt } from "./command-driver.js";
export type { CommandDriverOptions } from "./command-driver.js";
export { FakeDriver } from "./fake-driver.js";
export type { FakeAttempt, FakeTaskScript, FakeDriverOptions, FakeCall } from "./fake-driver.js";
export { EventRecorder } from "./event-recorder.js";
export type { EventRecorderOptions } from "./event-recorder.js";
export { failureReason } from "./failure-reason.js";
export type { ReasonContext } from "./failure-reason.js";

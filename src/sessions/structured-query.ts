/**
 * One Claude query that must answer with JSON matching a schema (the Claude planner). Uses the SDK's
 * `outputFormat: json_schema`: the CLI offers the model a StructuredOutput tool and returns its input as
 * `structured_output`. No file tools are needed, so the query runs without tools and with a few turns.
 */
import { mkdirSync, mkdtempSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { query } from "@anthropic-ai/claude-agent-sdk";
import { AbortError, KappaError, Scrubber, SessionError, type Environment, type TokenUsage } from "../core/index.js";
import { isRootUser, unattendedOptions } from "./claude-driver.js";
import { buildClaudeEnv, prepareSessionDirs } from "./claude-env.js";
import { findClaudeExecutable } from "./claude-executable.js";
import { SessionTracker, consumeSession } from "./claude-messages.js";
import { ClaudeProcess } from "./claude-process.js";
import { classifySession } from "./claude-result.js";
import type { SessionAccount } from "./driver.js";

export interface StructuredQueryOptions {
  prompt: string;
  /** A JSON schema (an object schema) the answer must match. */
  jsonSchema: object;
  account: SessionAccount;
  cwd: string;
  sessionsDir: string;
  env: Environment;
  signal: AbortSignal;
  executable?: string | undefined;
  /** @default 4 */
  maxTurns?: number | undefined;
}

export interface StructuredQueryResult {
  output: unknown;
  usage: TokenUsage;
  costUsd: number;
}

/** Runs the query; throws a typed error (AUTH, SESSION, ABORTED) with a hint when no valid answer came back. */
export async function runStructuredQuery(options: StructuredQueryOptions): Promise<StructuredQueryResult> {
  const executable = options.executable ?? findClaudeExecutable();
  if (!executable) {
    throw new SessionError("the Claude Code CLI is not installed", { hint: "reinstall without --omit=optional, then run `kappa doctor`" });
  }
  if (options.signal.aborted) throw new AbortError();
  const scrubber = new Scrubber(options.account.apiKey ? [options.account.apiKey] : []);
  // The first folder this query had to create (e.g. `.kappa/`): removed again afterwards when left empty, so
  // that `kappa plan` leaves the project as it found it.
  const created = mkdirSync(options.sessionsDir, { recursive: true });
  const sessionsKey = mkdtempSync(join(options.sessionsDir, "query-")).slice(options.sessionsDir.length + 1);
  const dirs = prepareSessionDirs(options.sessionsDir, sessionsKey);
  const env = buildClaudeEnv({ env: options.env, account: options.account, dirs, isRoot: isRootUser() });
  const proc = new ClaudeProcess();
  const abortController = new AbortController();
  const onAbort = (): void => {
    abortController.abort();
    proc.kill();
  };
  options.signal.addEventListener("abort", onAbort, { once: true });
  const tracker = new SessionTracker(options.cwd);
  let thrown: unknown;
  try {
    const stream = query({
      prompt: options.prompt,
      options: {
        ...unattendedOptions(executable, proc, env, options.cwd, abortController),
        tools: [],
        maxTurns: options.maxTurns ?? 4,
        model: options.account.model,
        outputFormat: { type: "json_schema", schema: options.jsonSchema as Record<string, unknown> },
        persistSession: false,
      },
    });
    thrown = await consumeSession(stream, tracker, onAbort);
  } catch (error) {
    thrown = error;
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    await proc.ensureGone(options.signal.aborted ? 0 : 2000);
    rmSync(dirs.root, { recursive: true, force: true });
    if (created !== undefined) removeEmptyUpTo(options.sessionsDir, created);
  }
  if (options.signal.aborted) throw new AbortError("the structured query was aborted");
  const outcome = classifySession(tracker, false, thrown, proc.stderrTail());
  const output = (tracker.result as { structured_output?: unknown } | undefined)?.structured_output;
  if (outcome.status === "completed" && output !== undefined) {
    return { output, usage: tracker.usage(), costUsd: tracker.result?.total_cost_usd ?? 0 };
  }
  const reason = scrubber.text(outcome.error ?? "Claude returned no structured output");
  if (outcome.errorKind === "auth") {
    throw new KappaError("AUTH", `the planner query failed: ${reason}`, { hint: `check the API key of account ${options.account.name} (its apiKeyEnv variable)` });
  }
  throw new SessionError(`the planner query failed: ${reason}`, {
    hint: outcome.errorKind === "rate_limited" || outcome.errorKind === "overloaded" ? "wait a minute and try again, or use --planner heuristic" : "try again, or use --planner heuristic",
  });
}

/** Removes `dir` and its parents up to and including `top` while they are empty (another query may be using them). */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let current = dir; ; current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === top || dirname(current) === current) return;
  }
}

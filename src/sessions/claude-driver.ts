/**
 * Runs one task in one Claude Code session through the Agent SDK: in the task's worktree, with an explicit
 * environment, every permission granted but file writes confined by a PreToolUse hook, and every SDK message
 * turned into a SessionEvent. Failures come back as values classified for the pool's retry decision.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { query, type Options } from "@anthropic-ai/claude-agent-sdk";
import { Scrubber, SessionError, type Environment, type Logger, type PlannedTask } from "../core/index.js";
import { buildClaudeEnv, prepareSessionDirs } from "./claude-env.js";
import { findClaudeExecutable } from "./claude-executable.js";
import { SessionTracker, consumeSession } from "./claude-messages.js";
import { ClaudeProcess } from "./claude-process.js";
import { buildPrompt } from "./claude-prompt.js";
import { classifySession } from "./claude-result.js";
import type { SessionDriver, SessionEvent, SessionResult, SessionRunOptions, SessionWorkspace } from "./driver.js";
import { claudeSandboxSettings, type SandboxPolicy } from "./sandbox.js";
import { toolGuardHook } from "./tool-guard.js";
import { changedFiles, repositoryDirs, worktreeHead } from "./worktree-changes.js";

export interface ClaudeDriverOptions {
  /** Per-task CLAUDE_CONFIG_DIR, HOME (with an empty .bashrc) and GIT_CONFIG_GLOBAL go under here. */
  sessionsDir: string;
  /** Bash commands sessions may not run (substring match after whitespace normalisation). */
  dangerousCommands: string[];
  /** Source of PATH and the few other variables a session inherits. */
  env: Environment;
  /** Further variable names passed from `env` to sessions (config `passEnv`). @default [] */
  passEnv?: readonly string[] | undefined;
  /** The OS sandbox for the sessions' commands; undefined runs them unsandboxed (`--no-sandbox`). */
  sandbox?: SandboxPolicy | undefined;
  logger: Logger;
  /** @default the CLI bundled with the Agent SDK */
  executable?: string | undefined;
  /** The project's CLAUDE.md text, put into every prompt. */
  conventions?: string | undefined;
  /** The run's scrubber (every secret kappa knows); the account's key is always added. @default only the key */
  scrubber?: Scrubber | undefined;
}

/** Tools that make no sense for an unattended task confined to one worktree. */
export const DISALLOWED_TOOLS = ["EnterWorktree", "ExitWorktree", "CronCreate", "CronDelete", "ScheduleWakeup"];

/** How long a CLI may take to exit after its last message before it is killed. */
const EXIT_GRACE_MS = 2000;
/** After an abort, how long to wait for the SDK iterator to notice the killed process. */
const ABORT_DRAIN_MS = 1500;

/** Common SDK options for unattended sessions (shared with the structured query). */
export function unattendedOptions(executable: string, proc: ClaudeProcess, env: Record<string, string>, cwd: string, abortController: AbortController): Options {
  return {
    cwd,
    env,
    pathToClaudeCodeExecutable: executable,
    spawnClaudeCodeProcess: proc.spawn,
    abortController,
    permissionMode: "bypassPermissions",
    allowDangerouslySkipPermissions: true,
    // Project conventions go into the prompt; nothing is read from user or project settings files.
    settingSources: [],
    disallowedTools: DISALLOWED_TOOLS,
  };
}

export function isRootUser(): boolean {
  return process.getuid?.() === 0;
}

/** The session id can be resumed only when its transcript is in this config dir. */
function hasTranscript(configDir: string, sessionId: string): boolean {
  const projects = join(configDir, "projects");
  if (!existsSync(projects)) return false;
  return readdirSync(projects).some((dir) => existsSync(join(projects, dir, `${sessionId}.jsonl`)));
}

export class ClaudeDriver implements SessionDriver {
  readonly name = "claude";
  private readonly executable: string;

  constructor(private readonly options: ClaudeDriverOptions) {
    const executable = options.executable ?? findClaudeExecutable();
    if (!executable) {
      throw new SessionError("the Claude Code CLI is not installed (it ships inside @anthropic-ai/claude-agent-sdk)", {
        hint: "reinstall kappa's dependencies without --omit=optional (the CLI is in an optional platform package), then run `kappa doctor`",
      });
    }
    this.executable = executable;
  }

  async run(task: PlannedTask, workspace: SessionWorkspace, options: SessionRunOptions): Promise<SessionResult> {
    const started = Date.now();
    const { account, signal } = options;
    const scrubber = (this.options.scrubber ?? new Scrubber([])).with(account.apiKey ? [account.apiKey] : []);
    const emit = (event: SessionEvent): void => {
      try {
        options.onEvent({ ...event, text: scrubber.text(event.text) });
      } catch (error) {
        this.options.logger.warn({ err: error, taskId: task.id }, "a session event subscriber failed");
      }
    };
    const tracker = new SessionTracker(workspace.dir);
    const finish = async (outcome: ReturnType<typeof classifySession>, baseHead: string | undefined): Promise<SessionResult> => {
      const fromGit = await changedFiles(workspace.dir, baseHead);
      const filesChanged = fromGit ?? [...tracker.filesWritten].filter((f) => !f.startsWith("/")).sort();
      const result: SessionResult = {
        ...outcome,
        summary: scrubber.text(outcome.summary),
        error: outcome.error === undefined ? undefined : scrubber.text(outcome.error),
        sessionId: tracker.sessionId,
        filesChanged,
        usage: tracker.usage(),
        costUsd: tracker.result?.total_cost_usd ?? 0,
        turns: tracker.turns(),
        durationMs: Date.now() - started,
      };
      this.options.logger.debug({ taskId: task.id, sessionId: result.sessionId, status: result.status, errorKind: result.errorKind, costUsd: result.costUsd, durationMs: result.durationMs }, "claude session finished");
      return result;
    };
    if (signal.aborted) return finish(classifySession(tracker, true, undefined, ""), undefined);

    const dirs = prepareSessionDirs(this.options.sessionsDir, task.id);
    const baseHead = await worktreeHead(workspace.dir);
    const env = buildClaudeEnv({ env: this.options.env, account, dirs, workspaceEnv: workspace.env, passEnv: this.options.passEnv, isRoot: isRootUser(), sandboxed: this.options.sandbox !== undefined });
    let resume = options.resumeSessionId;
    if (resume && !hasTranscript(dirs.configDir, resume)) {
      emit({ kind: "system", text: `cannot resume session ${resume} (no transcript in ${dirs.configDir}); starting a new session` });
      resume = undefined;
    }

    const proc = new ClaudeProcess(workspace.dir);
    const abortController = new AbortController();
    const onAbort = (): void => {
      abortController.abort();
      proc.kill();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const guard = toolGuardHook(workspace.dir, this.options.dangerousCommands, (tool, reason) => emit({ kind: "system", text: `denied ${tool}: ${reason}`, tool }));
    const sdkOptions: Options = {
      ...unattendedOptions(this.executable, proc, env, workspace.dir, abortController),
      systemPrompt: { type: "preset", preset: "claude_code" },
      hooks: { PreToolUse: [{ hooks: [guard] }] },
      maxTurns: options.maxTurns,
      maxBudgetUsd: options.maxBudgetUsd,
      model: account.model,
      ...(resume ? { resume } : {}),
      ...(this.options.sandbox ? { sandbox: claudeSandboxSettings(this.options.sandbox, { dir: workspace.dir, home: dirs.home, tmp: dirs.tmp, readOnly: await repositoryDirs(workspace.dir) }) } : {}),
    };
    const prompt = buildPrompt({ task, conventions: this.options.conventions, feedback: options.feedback });
    this.options.logger.debug({ taskId: task.id, account: account.name, model: account.model, cwd: workspace.dir, resume }, "starting claude session");

    let thrown: unknown;
    const consume = async (): Promise<void> => {
      thrown = await consumeSession(query({ prompt, options: sdkOptions }), tracker, onAbort, (events) => events.forEach(emit));
    };
    try {
      const consumed = consume();
      const abortedWait = new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      await Promise.race([consumed, abortedWait]);
      if (signal.aborted) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([consumed, new Promise<void>((r) => (timer = setTimeout(r, ABORT_DRAIN_MS)))]);
        clearTimeout(timer);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      await proc.ensureGone(signal.aborted ? 0 : EXIT_GRACE_MS);
    }
    if (thrown !== undefined && !signal.aborted && !tracker.result) {
      this.options.logger.debug({ err: scrubber.value(thrown), taskId: task.id, stderr: scrubber.text(proc.stderrTail()) }, "claude session threw");
    }
    return finish(classifySession(tracker, signal.aborted, thrown, proc.stderrTail()), baseHead);
  }
}

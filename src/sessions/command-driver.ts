/**
 * Runs any agent CLI from a command template (e.g. `aider --yes --message {prompt}`), so kappa can drive agents
 * other than Claude Code. The command runs in the task's worktree through workspace's process-group runner:
 * aborting stops the agent and everything it started. Its environment is exactly `env` plus the task's.
 */
import type { Environment, PlannedTask } from "../core/index.js";
import { runInProcessGroup, shellArgv } from "../workspace/index.js";
import { emptyUsage, type SessionDriver, type SessionResult, type SessionRunOptions, type SessionWorkspace } from "./driver.js";
import { changedFiles, worktreeHead } from "./worktree-changes.js";

export interface CommandDriverOptions {
  /** A command line with `{prompt}`, `{taskId}`, `{worktree}` placeholders, run by /bin/sh. */
  template: string;
  /** Base environment for the command (PATH, HOME…); the workspace's variables are added. */
  env: Environment;
  /** Time between SIGTERM and SIGKILL when aborting. @default 2000 */
  killGraceMs?: number;
  /** Put in front of `/bin/sh -c <command>` (a sandbox such as bwrap). @default [] */
  argvPrefix?: readonly string[];
}

/** Quotes a value as one POSIX shell word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command line for a task: every placeholder becomes exactly one shell-quoted argument. */
export function renderTemplate(template: string, values: { prompt: string; taskId: string; worktree: string }): string {
  return template.replace(/\{(prompt|taskId|worktree)\}/g, (_, key: "prompt" | "taskId" | "worktree") => shellQuote(values[key]));
}

/** The prompt handed to a generic agent: the task, its acceptance criteria and any feedback. */
export function commandPrompt(task: PlannedTask, feedback: string | undefined): string {
  const parts = [`${task.title}\n\n${task.prompt}`];
  if (task.acceptance.length > 0) parts.push(`Acceptance criteria:\n${task.acceptance.map((a) => `- ${a}`).join("\n")}`);
  if (feedback) parts.push(`Feedback from the previous attempt:\n${feedback}`);
  return parts.join("\n\n");
}

export class CommandDriver implements SessionDriver {
  readonly name = "command";

  constructor(private readonly options: CommandDriverOptions) {}

  async run(task: PlannedTask, workspace: SessionWorkspace, options: SessionRunOptions): Promise<SessionResult> {
    const baseHead = await worktreeHead(workspace.dir);
    const command = renderTemplate(this.options.template, { prompt: commandPrompt(task, options.feedback), taskId: task.id, worktree: workspace.dir });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, workspace.env);
    if (options.account.apiKey) env.ANTHROPIC_API_KEY = options.account.apiKey;
    if (options.account.baseUrl) env.ANTHROPIC_BASE_URL = options.account.baseUrl;
    const base = { sessionId: undefined, usage: emptyUsage(), costUsd: 0, turns: 0 };
    if (options.signal.aborted) return { ...base, status: "failed", summary: "", filesChanged: [], durationMs: 0, errorKind: "aborted", error: "aborted before start" };

    let lastLine = "";
    // The one process-group runner: an abort stops the agent and everything it started (SIGTERM, then SIGKILL
    // after killGraceMs), and whatever it leaves running in the background goes when it exits.
    const r = await runInProcessGroup({
      argv: shellArgv(command),
      argvPrefix: this.options.argvPrefix ?? [],
      cwd: workspace.dir,
      env,
      signal: options.signal,
      killGraceMs: this.options.killGraceMs ?? 2000,
      onLine: (line, stream) => {
        lastLine = line;
        options.onEvent({ kind: "text", text: line, data: stream === "stderr" ? { stream } : undefined });
      },
    });
    const filesChanged = (await changedFiles(workspace.dir, baseHead)) ?? [];
    const durationMs = r.durationMs;
    if (r.aborted) return { ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "aborted", error: "the command was stopped" };
    if (r.spawnError) return { ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", error: `could not start /bin/sh: ${r.spawnError.message}` };
    if (r.exitCode === 0) {
      options.onEvent({ kind: "result", text: lastLine || "command finished" });
      return { ...base, status: "completed", summary: lastLine || "command finished", filesChanged, durationMs, turns: 1 };
    }
    if (r.exitCode === 127) {
      return { ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", retryable: false, error: `command not found: ${firstWord(this.options.template)} (exit 127); install it or fix commandTemplate in .kappa/config.yaml` };
    }
    return { ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", error: `the command exited with code ${r.exitCode ?? "unknown"}${lastLine ? `: ${lastLine.slice(0, 300)}` : ""}` };
  }
}

function firstWord(template: string): string {
  return template.trim().split(/\s+/)[0] ?? template;
}

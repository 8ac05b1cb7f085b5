/**
 * Runs any agent CLI from a command template (e.g. `aider --yes --message {prompt}`), so kappa can drive agents
/**
 * Runs any agent CLI from a command template (e.g. `aider --yes --message {prompt}`), so kappa can drive agents
 * other than Claude Code. The command runs in the task's worktree through workspace's process-group runner:
 * aborting stops the agent and everything it started. The agent sees only the environment allowlist
 * (`session-env.ts`), and with a sandbox policy it runs under `bwrap`.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Environment, PlannedTask } from "../core/index.js";
import { runInProcessGroup, shellArgv } from "../workspace/index.js";
import { emptyUsage, type SessionDriver, type SessionResult, type SessionRunOptions, type SessionWorkspace } from "./driver.js";
import { bwrapArgs, SANDBOX_INSTALL, type SandboxPolicy } from "./sandbox.js";
import { allowedEnv } from "./session-env.js";
import { changedFiles, repositoryDirs, worktreeHead } from "./worktree-changes.js";

export interface CommandDriverOptions {
  /** A command line with `{prompt}`, `{taskId}`, `{worktree}` placeholders, run by /bin/sh. */
  template: string;
  /** kappa's environment: only its allowlisted variables (PATH, HOME, LANG, LC_*, TERM, TMPDIR) reach the command. */
  env: Environment;
  /** Further variable names passed from `env` to the command (config `passEnv`), e.g. the agent's own API key. @default [] */
  passEnv?: readonly string[] | undefined;
  /** Time between SIGTERM and SIGKILL when aborting. @default 2000 */
  killGraceMs?: number;
  /**
   * Run the agent under `bwrap` with this policy (writes only in the worktree, its session HOME and temp dir);
   * undefined runs it unsandboxed (`--no-sandbox`).
   */
  sandbox?: SandboxPolicy | undefined;
  /** Where each task's session HOME and temp dir go (`<sessionsDir>/<taskId>/home`, `…/tmp`). @default <tmpdir>/kappa-sessions */
  sessionsDir?: string | undefined;
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
    // No account key: a command agent gets only what the user lists in passEnv.
    const env = allowedEnv(this.options.env, this.options.passEnv ?? [], workspace.env);
    let argvPrefix: string[] = [];
    if (this.options.sandbox) {
      const root = join(this.options.sessionsDir ?? join(tmpdir(), "kappa-sessions"), task.id);
      const paths = { dir: workspace.dir, home: join(root, "home"), tmp: join(root, "tmp"), readOnly: await repositoryDirs(workspace.dir) };
      mkdirSync(paths.home, { recursive: true });
      mkdirSync(paths.tmp, { recursive: true });
      Object.assign(env, { HOME: paths.home, TMPDIR: paths.tmp });
      argvPrefix = ["bwrap", ...bwrapArgs(this.options.sandbox, paths, [])];
    }
    const base = { sessionId: undefined, usage: emptyUsage(), costUsd: 0, turns: 0 };
    if (options.signal.aborted) return { ...base, status: "failed", summary: "", filesChanged: [], durationMs: 0, errorKind: "aborted", error: "aborted before start" };

    let lastLine = "";
    // The one process-group runner: an abort stops the agent and everything it started (SIGTERM, then SIGKILL
    // after killGraceMs), and whatever it leaves running in the background goes when it exits.
    const r = await runInProcessGroup({
      argv: shellArgv(command),
      argvPrefix,
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
    if (r.spawnError) return { ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", error: `could not start ${argvPrefix[0] ?? "/bin/sh"}: ${r.spawnError.message}${this.options.sandbox ? ` (the sandbox needs bubblewrap: ${SANDBOX_INSTALL}, or run with --no-sandbox)` : ""}` };
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

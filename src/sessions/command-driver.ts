/**
 * Runs any agent CLI from a command template (e.g. `aider --yes --message {prompt}`), so kappa can drive agents
 * other than Claude Code. The command runs in the task's worktree in its own process group: aborting kills the
 * agent and everything it started. The agent sees only the environment allowlist (`session-env.ts`).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Environment, PlannedTask } from "../core/index.js";
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
    const started = Date.now();
    const baseHead = await worktreeHead(workspace.dir, this.options.env);
    const command = renderTemplate(this.options.template, { prompt: commandPrompt(task, options.feedback), taskId: task.id, worktree: workspace.dir });
    // No account key: a command agent gets only what the user lists in passEnv.
    const env = allowedEnv(this.options.env, this.options.passEnv ?? [], workspace.env);
    let argv = ["/bin/sh", "-c", command];
    if (this.options.sandbox) {
      const root = join(this.options.sessionsDir ?? join(tmpdir(), "kappa-sessions"), task.id);
      const paths = { dir: workspace.dir, home: join(root, "home"), tmp: join(root, "tmp"), readOnly: await repositoryDirs(workspace.dir, this.options.env) };
      mkdirSync(paths.home, { recursive: true });
      mkdirSync(paths.tmp, { recursive: true });
      Object.assign(env, { HOME: paths.home, TMPDIR: paths.tmp });
      argv = ["bwrap", ...bwrapArgs(this.options.sandbox, paths, argv)];
    }
    const base = { sessionId: undefined, usage: emptyUsage(), costUsd: 0, turns: 0 };
    if (options.signal.aborted) return { ...base, status: "failed", summary: "", filesChanged: [], durationMs: 0, errorKind: "aborted", error: "aborted before start" };

    return new Promise<SessionResult>((resolve) => {
      const child = spawn(argv[0] as string, argv.slice(1), { cwd: workspace.dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let lastLine = "";
      let killTimer: NodeJS.Timeout | undefined;
      const killGroup = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // The group is already gone.
        }
      };
      const onAbort = (): void => {
        killGroup("SIGTERM");
        killTimer = setTimeout(() => killGroup("SIGKILL"), this.options.killGraceMs ?? 2000);
        killTimer.unref();
      };
      options.signal.addEventListener("abort", onAbort, { once: true });
      const lines = (stream: NodeJS.ReadableStream, name: "stdout" | "stderr"): void => {
        createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
          if (line.trim() === "") return;
          lastLine = line;
          options.onEvent({ kind: "text", text: line, data: name === "stderr" ? { stream: name } : undefined });
        });
      };
      lines(child.stdout, "stdout");
      lines(child.stderr, "stderr");
      let settled = false;
      const finish = (code: number | null, spawnError?: Error): void => {
        if (settled) return;
        settled = true;
        options.signal.removeEventListener("abort", onAbort);
        // Whatever the agent left running in the background goes too.
        if (!options.signal.aborted) killGroup("SIGKILL");
        void (async () => {
          const filesChanged = (await changedFiles(workspace.dir, baseHead, this.options.env)) ?? [];
          const durationMs = Date.now() - started;
          if (killTimer && options.signal.aborted) {
            // Make sure the group is dead before reporting.
            killGroup("SIGKILL");
            clearTimeout(killTimer);
          }
          if (options.signal.aborted) {
            resolve({ ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "aborted", error: "the command was stopped" });
          } else if (spawnError) {
            resolve({ ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", retryable: false, error: `could not start ${argv[0] ?? "/bin/sh"}: ${spawnError.message}${this.options.sandbox ? ` (the sandbox needs bubblewrap: ${SANDBOX_INSTALL}, or run with --no-sandbox)` : ""}` });
          } else if (code === 0) {
            options.onEvent({ kind: "result", text: lastLine || "command finished" });
            resolve({ ...base, status: "completed", summary: lastLine || "command finished", filesChanged, durationMs, turns: 1 });
          } else if (code === 127) {
            resolve({ ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", retryable: false, error: `command not found: ${firstWord(this.options.template)} (exit 127); install it or fix commandTemplate in .kappa/config.yaml` });
          } else {
            resolve({ ...base, status: "failed", summary: "", filesChanged, durationMs, errorKind: "agent_error", error: `the command exited with code ${code ?? "unknown"}${lastLine ? `: ${lastLine.slice(0, 300)}` : ""}` });
          }
        })();
      };
      child.on("error", (error) => finish(null, error));
      child.on("close", (code) => finish(code));
    });
  }
}

function firstWord(template: string): string {
  return template.trim().split(/\s+/)[0] ?? template;
}

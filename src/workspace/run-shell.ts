/**
 * Runs a user-configured shell command (e.g. a worktree's setup command) through the one process-group runner
 * (process-group.ts): output captured, a timeout or abort stops it and everything it started, and processes it
 * leaves running in the background are stopped when it exits: a setup step prepares files, it does not start
 * services.
 */
import { AbortError, processEnvironment } from "../core/index.js";
import { runInProcessGroup, shellArgv } from "./process-group.js";

export interface ShellResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, at most the last `maxOutputBytes`. */
  output: string;
  durationMs: number;
}

export interface RunShellOptions {
  cwd: string;
  /** Added to kappa's own environment. */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** @default 256 KiB */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL. @default 2000 */
  killGraceMs?: number;
  /** What the command is, for the abort message. @default "the setup command" */
  what?: string;
}

/** Runs `command` with `sh -c`. A failing command is a value; an abort throws {@link AbortError}. */
export async function runShell(command: string, options: RunShellOptions): Promise<ShellResult> {
  const what = options.what ?? "the setup command";
  if (options.signal?.aborted) throw new AbortError(`${what} was not started: the operation was aborted`, { cause: options.signal.reason });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...processEnvironment(), ...options.env })) if (v !== undefined) env[k] = v;
  const r = await runInProcessGroup({
    argv: shellArgv(command),
    cwd: options.cwd,
    env,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
  });
  if (r.aborted) throw new AbortError(`${what} was stopped: the operation was aborted`, { cause: options.signal?.reason });
  let output = r.output;
  const line = (text: string): string => `${output.endsWith("\n") || output === "" ? "" : "\n"}${text}\n`;
  if (r.spawnError) output += line(`could not run the command: ${r.spawnError.message}`);
  if (r.timedOut) output += line(`stopped after ${options.timeoutMs} ms (timeout)`);
  return { ok: r.exitCode === 0 && !r.timedOut && !r.spawnError, exitCode: r.exitCode, timedOut: r.timedOut, output, durationMs: r.durationMs };
}

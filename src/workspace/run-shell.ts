/**
 * Runs a user-configured shell command (e.g. a worktree's setup command) in its own process group, with its
 * output captured, so that a timeout or abort stops it and everything it started. Processes it leaves running
 * in the background are stopped when it exits: a setup step prepares files, it does not start services.
 */
import { spawn } from "node:child_process";
import { AbortError, processEnvironment } from "../core/index.js";

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
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** @default 256 KiB */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL. @default 2000 */
  killGraceMs?: number;
}

/** Runs `command` with `sh -c`. A failing command is a value; an abort throws {@link AbortError}. */
export function runShell(command: string, options: RunShellOptions): Promise<ShellResult> {
  const started = Date.now();
  const max = options.maxOutputBytes ?? 256 * 1024;
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(new AbortError("the setup command was not started: the operation was aborted", { cause: options.signal.reason }));
      return;
    }
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: { ...processEnvironment(), ...options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      while (size > max && chunks.length > 1) size -= chunks.shift()?.length ?? 0;
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);

    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (): void => {
      signalGroup(child.pid, "SIGTERM");
      killTimer ??= setTimeout(() => signalGroup(child.pid, "SIGKILL"), options.killGraceMs ?? 2000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const finish = (exitCode: number | null, error?: Error): void => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      signalGroup(child.pid, "SIGKILL");
      let output = Buffer.concat(chunks).toString("utf8");
      if (output.length > max) output = output.slice(-max);
      if (aborted) {
        reject(new AbortError("the setup command was stopped: the operation was aborted", { cause: options.signal?.reason }));
        return;
      }
      if (error) output += `${output.endsWith("\n") || output === "" ? "" : "\n"}could not run the command: ${error.message}\n`;
      if (timedOut) output += `${output.endsWith("\n") || output === "" ? "" : "\n"}stopped after ${options.timeoutMs} ms (timeout)\n`;
      resolvePromise({ ok: exitCode === 0 && !timedOut && !error, exitCode, timedOut, output, durationMs: Date.now() - started });
    };
    let exited: number | null | undefined;
    child.on("error", (error) => finish(null, error));
    // The setup is over when its shell exits; whatever it left running in its group is stopped, otherwise a
    // background process holding the output pipes would keep the task waiting until the timeout.
    child.on("exit", (code) => {
      exited = code;
      signalGroup(child.pid, "SIGKILL");
    });
    child.on("close", (code) => finish(exited ?? code));
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * The one runner for commands kappa starts outside git (setup commands, the verification gate, agent
 * commands): each runs in its own process group with its output captured, and is stopped one way everywhere.
 * A timeout or abort sends SIGTERM to the whole group, then SIGKILL after `killGraceMs`; when the command
 * itself exits, whatever it left running in its group is killed (a background process holding the output pipes
 * would otherwise keep the caller waiting). A sandbox goes in front through `argvPrefix` (e.g. bwrap's argv),
 * and the environment is exactly `env`: nothing is inherited.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ProcessGroupOptions {
  /** The command and its arguments, e.g. {@link shellArgv}'s. */
  argv: readonly string[];
  /** Put in front of `argv` (a sandbox such as bwrap). @default [] */
  argvPrefix?: readonly string[];
  cwd: string;
  /** The whole environment of the command. */
  env: Readonly<Record<string, string>>;
  /** Stop the command after this long. @default no limit */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Time between SIGTERM and SIGKILL. @default 2000 */
  killGraceMs?: number;
  /** Output kept (the tail, stdout and stderr interleaved). @default 256 KiB */
  maxOutputBytes?: number;
  /** Called for each non-empty output line as it arrives. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface ProcessGroupResult {
  /** The exit code, null when killed by a signal or never started. */
  exitCode: number | null;
  timedOut: boolean;
  /** The signal aborted (before the start or while it ran). */
  aborted: boolean;
  /** The command could not be started. */
  spawnError: Error | undefined;
  output: string;
  durationMs: number;
}

/** argv that runs `command` with /bin/sh. */
export function shellArgv(command: string): string[] {
  return ["/bin/sh", "-c", command];
}

/** Runs a command in its own process group. Never rejects: failures, timeouts and aborts are values. */
export function runInProcessGroup(options: ProcessGroupOptions): Promise<ProcessGroupResult> {
  const started = Date.now();
  const max = options.maxOutputBytes ?? 256 * 1024;
  const full = [...(options.argvPrefix ?? []), ...options.argv];
  const [file, ...args] = full;
  if (options.signal?.aborted || file === undefined) {
    return Promise.resolve({ exitCode: null, timedOut: false, aborted: Boolean(options.signal?.aborted), spawnError: file === undefined ? new Error("empty command") : undefined, output: "", durationMs: 0 });
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...options.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      while (size > max && chunks.length > 1) size -= chunks.shift()?.length ?? 0;
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    if (options.onLine) {
      const onLine = options.onLine;
      for (const [stream, name] of [[child.stdout, "stdout"], [child.stderr, "stderr"]] as const) {
        createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
          if (line.trim() !== "") onLine(line, name);
        });
      }
    }

    let timedOut = false;
    let aborted = false;
    let spawnError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      signalGroup(child.pid, "SIGTERM");
      killTimer ??= setTimeout(() => signalGroup(child.pid, "SIGKILL"), options.killGraceMs ?? 2000);
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop()), options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    let exited: number | null | undefined;
    let settled = false;
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      signalGroup(child.pid, "SIGKILL");
      let output = Buffer.concat(chunks).toString("utf8");
      if (output.length > max) output = output.slice(-max);
      resolve({ exitCode: code, timedOut, aborted, spawnError, output, durationMs: Date.now() - started });
    };
    child.on("error", (error) => {
      spawnError = error;
      finish(null);
    });
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

/**
 * Runs git processes through a small helper process (git-spawner.mjs) instead of forking kappa itself, which
 * costs kernel time and blocks the main thread for milliseconds per process. The helper is started on first
 * use, keeps kappa alive only while a call is in flight, and is started again if it ever dies (the calls it
 * had fail with a GitError).
 */
import { fork, type ChildProcess } from "node:child_process";
import { GitError } from "../core/errors.js";

export interface RawGitResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Pending {
  resolve: (result: RawGitResult) => void;
  reject: (error: Error) => void;
  command: string;
  /** The helper process the call was handed to. */
  helper: ChildProcess;
}

type Reply = { id: number; code: number; stdout: string; stderr: string } | { id: number; error: { message: string; code?: string } };

const SPAWNER = new URL("./git-spawner.mjs", import.meta.url);

let helper: ChildProcess | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function startHelper(): ChildProcess {
  const started = fork(SPAWNER, [], { execArgv: [], serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
  idle(started);
  started.on("message", (reply: Reply) => {
    const call = pending.get(reply.id);
    if (!call) return;
    settle(reply.id);
    if ("error" in reply) {
      call.reject(
        new GitError(`${call.command} could not run: ${reply.error.message}`, "", {
          hint: reply.error.code === "ENOENT" ? "install git and make sure it is on PATH" : undefined,
        }),
      );
    } else {
      call.resolve(reply);
    }
  });
  const lost = (why: string): void => {
    if (helper === started) helper = undefined;
    for (const [id, call] of pending) {
      if (call.helper !== started) continue;
      settle(id);
      call.reject(new GitError(`${call.command} was lost: ${why}`, "", { hint: "retry; if it keeps happening, report it with the log" }));
    }
  };
  started.on("error", (error) => lost(`kappa's git helper process failed (${error.message})`));
  started.on("exit", (code, signal) => lost(`kappa's git helper process exited (${signal ?? code ?? "?"})`));
  return started;
}

/** Not keeping kappa alive while nothing is asked of the helper. */
function idle(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
}

function busy(child: ChildProcess): void {
  child.ref();
  child.channel?.ref();
}

function settle(id: number): void {
  pending.delete(id);
  if (pending.size === 0 && helper) idle(helper);
}

export interface RawGitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
}

/** Runs `git <args>` to completion: exit code and output, whatever the code. Rejects when git cannot run. */
export function runGit(args: string[], options: RawGitOptions): Promise<RawGitResult> {
  return handOver(args, options, false);
}

function handOver(args: string[], options: RawGitOptions, retried: boolean): Promise<RawGitResult> {
  const command = `git ${subcommand(args)}`;
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(aborted(command));
  if (!helper?.connected) helper = startHelper();
  const target = helper;
  const id = nextId++;
  return new Promise<RawGitResult>((resolve, reject) => {
    const onAbort = (): void => {
      if (!pending.has(id)) return;
      settle(id);
      target.send({ type: "kill", id }, () => undefined);
      reject(aborted(command));
    };
    const done = (): void => signal?.removeEventListener("abort", onAbort);
    pending.set(id, {
      resolve: (r) => {
        done();
        resolve(r);
      },
      reject: (e) => {
        done();
        reject(e);
      },
      command,
      helper: target,
    });
    if (pending.size === 1) busy(target);
    signal?.addEventListener("abort", onAbort, { once: true });
    target.send({ type: "run", id, args, cwd: options.cwd, env: options.env, input: options.input }, (error) => {
      const call = pending.get(id);
      if (!error || !call) return;
      settle(id);
      done();
      // Not delivered: the helper died and its exit is not processed yet. Nothing ran; once more on a new one.
      if (helper === target) helper = undefined;
      target.kill("SIGKILL");
      if (!retried) handOver(args, options, true).then(resolve, reject);
      else reject(new GitError(`${command} could not be handed to kappa's git helper process: ${error.message}`, ""));
    });
  });
}

/** The subcommand, for messages: `commit` in `git -c commit.gpgsign=false commit …`. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-c" || arg === "-C") i += 1;
    else if (!arg.startsWith("-")) return arg;
  }
  return args[0] ?? "";
}

function aborted(command: string): GitError {
  return new GitError(`${command} could not run: The operation was aborted`, "");
}

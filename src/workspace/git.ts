/**
 * git through its CLI. Every call takes an AbortSignal; failures become {@link GitError} with git's stderr.
 */
import { spawn } from "node:child_process";
import { GitError, processEnvironment } from "../core/index.js";

export interface GitOptions {
  cwd: string;
  signal?: AbortSignal | undefined;
  /** Written to git's stdin. */
  input?: string | Buffer | undefined;
  /** Exit codes that are not errors (e.g. 1 for `merge-tree` with conflicts). @default [0] */
  okCodes?: number[];
  env?: Record<string, string> | undefined;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Environment for git: no prompts, no pager, stable messages, deterministic identity when none is configured. */
function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env = processEnvironment();
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    LC_ALL: "C",
    GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? "kappa",
    GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? "kappa@localhost",
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? "kappa",
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? "kappa@localhost",
    ...extra,
  };
}

export function git(args: string[], options: GitOptions): Promise<GitResult> {
  const okCodes = options.okCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: gitEnv(options.env),
      signal: options.signal,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (error) => {
      reject(new GitError(`git ${args[0] ?? ""} could not run: ${error.message}`, "", {
        hint: (error as NodeJS.ErrnoException).code === "ENOENT" ? "install git and make sure it is on PATH" : undefined,
        cause: error,
      }));
    });
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      const exit = code ?? -1;
      if (okCodes.includes(exit)) resolve({ stdout, stderr, code: exit });
      else reject(new GitError(`git ${args.join(" ")} failed (exit ${exit}): ${stderr.trim().split("\n").slice(-3).join(" ")}`, stderr));
    });
    child.stdin.on("error", () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** `git …` and return trimmed stdout. */
export async function gitText(args: string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).stdout.trim();
}

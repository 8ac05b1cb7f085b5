/**
 * git through its CLI. Every call takes an AbortSignal; failures become {@link GitError} with git's stderr.
 * The processes are started by a small helper process, not by forking kappa (git-runner.ts).
 */
import { processEnvironment } from "../core/config/env.js";
import { GitError } from "../core/errors.js";
import { runGit } from "./git-runner.js";

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
let baseEnv: NodeJS.ProcessEnv | undefined;
function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  // Built once: copying the environment for each of the many git calls is measurable on the hot path.
  if (!baseEnv) {
    const env = processEnvironment();
    baseEnv = {
      ...env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_PAGER: "cat",
      LC_ALL: "C",
      GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? "kappa",
      GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? "kappa@localhost",
      GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? "kappa",
      GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? "kappa@localhost",
    };
  }
  return extra ? { ...baseEnv, ...extra } : baseEnv;
}

export async function git(args: string[], options: GitOptions): Promise<GitResult> {
  const okCodes = options.okCodes ?? [0];
  const result = await runGit(args, { cwd: options.cwd, env: gitEnv(options.env), input: options.input, signal: options.signal });
  if (okCodes.includes(result.code)) return result;
  const { stderr } = result;
  throw new GitError(`git ${args.join(" ")} failed (exit ${result.code}): ${stderr.trim().split("\n").slice(-3).join(" ")}`, stderr);
}

/** `git …` and return trimmed stdout. */
export async function gitText(args: string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).stdout.trim();
}

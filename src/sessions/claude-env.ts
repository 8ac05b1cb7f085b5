/**
 * The explicit environment of one Claude Code process. The SDK's `env` replaces the whole environment, so the
 * session sees only the allowlist of `session-env.ts` and what is set here: nothing of the user's shell leaks in
 * (other keys, tokens), its own config dir and HOME keep sessions from sharing state, and the API key is passed to
 * the child only.
 */
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Environment } from "../core/index.js";
import type { SessionAccount } from "./driver.js";
import { allowedEnv } from "./session-env.js";

/**
 * The CLI's own API retries. kappa's pool retries with backoff and a breaker, so the CLI retries once: enough to
 * ride out a single dropped connection or 5xx, and its `api_retry` message tells the driver about a 429/529 (with
 * the server's retry-after), on which the driver stops the session at once.
 */
export const CLAUDE_CLI_MAX_RETRIES = 1;

export interface SessionDirs {
  /** Root of this task's session state. */
  root: string;
  configDir: string;
  home: string;
  /** The session's own temp directory (TMPDIR), writable inside the sandbox. */
  tmp: string;
  gitConfig: string;
}

/**
 * Directories of one task's sessions: reused by every attempt of the task, so a resumed session finds its
 * transcript in the same CLAUDE_CONFIG_DIR.
 */
export function prepareSessionDirs(sessionsDir: string, key: string): SessionDirs {
  const root = join(sessionsDir, key);
  const dirs = { root, configDir: join(root, "claude"), home: join(root, "home"), tmp: join(root, "tmp"), gitConfig: join(root, "gitconfig") };
  mkdirSync(dirs.configDir, { recursive: true });
  mkdirSync(dirs.home, { recursive: true });
  mkdirSync(dirs.tmp, { recursive: true });
  // An empty profile: a heavy user profile would add seconds to every Bash tool call.
  if (!existsSync(join(dirs.home, ".bashrc"))) writeFileSync(join(dirs.home, ".bashrc"), "");
  if (!existsSync(dirs.gitConfig)) writeFileSync(dirs.gitConfig, "[user]\n\tname = kappa\n\temail = kappa@localhost\n[advice]\n\tdetachedHead = false\n");
  return dirs;
}

export interface ClaudeEnvOptions {
  env: Environment;
  account: SessionAccount;
  dirs: SessionDirs;
  /** The task's extra variables (PORT, KAPPA_TASK_ID…). */
  workspaceEnv?: Record<string, string> | undefined;
  /** Names the user lets through (`passEnv`). @default [] */
  passEnv?: readonly string[] | undefined;
  /** Running as root: bypassPermissions then needs IS_SANDBOX=1. */
  isRoot: boolean;
  /** The session runs in the OS sandbox: its temp dir is the session's own (writable there). @default false */
  sandboxed?: boolean | undefined;
}

export function buildClaudeEnv(options: ClaudeEnvOptions): Record<string, string> {
  const out = allowedEnv(options.env, options.passEnv ?? [], options.workspaceEnv);
  const baseUrl = options.account.baseUrl;
  if (baseUrl && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(baseUrl)) {
    // A local endpoint (the simulated model) must never go through a proxy.
    const noProxy = [out.NO_PROXY, "127.0.0.1", "localhost"].filter(Boolean).join(",");
    out.NO_PROXY = noProxy;
    out.no_proxy = noProxy;
  }
  Object.assign(out, {
    HOME: options.dirs.home,
    CLAUDE_CONFIG_DIR: options.dirs.configDir,
    GIT_CONFIG_GLOBAL: options.dirs.gitConfig,
    GIT_TERMINAL_PROMPT: "0",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_MAX_RETRIES: String(CLAUDE_CLI_MAX_RETRIES),
  });
  if (options.isRoot) out.IS_SANDBOX = "1";
  if (options.sandboxed) {
    out.TMPDIR = options.dirs.tmp;
  }
  if (baseUrl) out.ANTHROPIC_BASE_URL = baseUrl;
  if (options.account.apiKey) out.ANTHROPIC_API_KEY = options.account.apiKey;
  return out;
}

/**
 * The OS sandbox every session runs in: it may write only in its task's directory, its session HOME and its
 * temp directory; it reads the rest of the machine; the network is open unless an allowlist is configured. The
 * Claude driver turns on Claude Code's own sandbox (bubblewrap + socat on Linux) through the SDK's `sandbox`
 * option; the command driver runs its agent under `bwrap` with the same policy. Pure functions here; the
 * availability check looks at PATH only.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { SandboxSettings } from "@anthropic-ai/claude-agent-sdk";
import type { Environment } from "../core/index.js";

export interface SandboxPolicy {
  /** Domains sandboxed commands may reach; empty = the network is open. @default [] */
  allowedDomains: readonly string[];
}

/** Where one session may write. */
export interface SandboxPaths {
  /** The task's directory (its cwd). */
  dir: string;
  home: string;
  tmp: string;
  /**
   * Kept read-only although inside or next to a writable path: the repository's git dirs (refs, index, hooks,
   * config), which Claude Code's sandbox would otherwise let commands write. @default []
   */
  readOnly?: readonly string[] | undefined;
}

/** The programs the sandbox needs on Linux, and the command that installs them. */
export const SANDBOX_PROGRAMS = ["bwrap", "socat"] as const;
export const SANDBOX_INSTALL = "apt-get install -y bubblewrap socat";

/** The sandbox programs not found on `env.PATH`. */
export function missingSandboxPrograms(env: Environment): string[] {
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  return SANDBOX_PROGRAMS.filter((program) => !dirs.some((dir) => isExecutable(join(dir, program))));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The SDK's sandbox settings: Bash commands run sandboxed with no way out (`allowUnsandboxedCommands: false`), the
 * account's key is unset inside, and the session stops rather than run unsandboxed when the sandbox cannot start.
 * Commands reach the network only through the CLI's proxy (they honour HTTP(S)_PROXY, which it sets): `*` lets
 * every domain through, an allowlist only its domains. (CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is not used: with it the
 * CLI asks for approval of every command that writes a file, which an unattended session cannot give.)
 */
export function claudeSandboxSettings(policy: SandboxPolicy, paths: SandboxPaths): SandboxSettings {
  return {
    enabled: true,
    failIfUnavailable: true,
    autoAllowBashIfSandboxed: true,
    allowUnsandboxedCommands: false,
    filesystem: { allowWrite: [paths.dir, paths.home, paths.tmp], denyWrite: [...(paths.readOnly ?? [])] },
    network: policy.allowedDomains.length > 0 ? { allowedDomains: [...policy.allowedDomains], strictAllowlist: true } : { allowedDomains: ["*"] },
    credentials: { envVars: [{ name: "ANTHROPIC_API_KEY", mode: "deny" }] },
  };
}

/**
 * `bwrap` arguments that run `argv` with the whole filesystem read-only except the task's directory, HOME and
 * temp directory, a private /tmp, its own /dev and /proc, and (when `allowedDomains` is set) no network at all:
 * bwrap cannot filter by domain, so the command driver fails closed.
 */
export function bwrapArgs(policy: SandboxPolicy, paths: SandboxPaths, argv: readonly string[]): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  for (const dir of [paths.dir, paths.home, paths.tmp]) args.push("--bind", dir, dir);
  for (const dir of paths.readOnly ?? []) args.push("--ro-bind", dir, dir);
  if (policy.allowedDomains.length > 0) args.push("--unshare-net");
  args.push("--die-with-parent", "--chdir", paths.dir, "--", ...argv);
  return args;
}

/**
 * The verification gate: the project's test command on a merge commit, in a temporary detached worktree (the
 * user's worktree and the integration branch are never checked out). The command runs in its own process
 * group so a timeout or abort kills everything it started; the worktree is removed afterwards.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processEnvironment, throwIfAborted } from "../core/index.js";
import { git } from "../workspace/index.js";

export interface GateOptions {
  repo: string;
  commit: string;
  command: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Characters of output kept (the tail, where test runners print their summary). @default 8000 */
  tailChars?: number;
}

export interface GateResult {
  ok: boolean;
  output: string;
  durationMs: number;
}

export async function runGate(options: GateOptions): Promise<GateResult> {
  throwIfAborted(options.signal);
  const started = performance.now();
  const parent = mkdtempSync(join(tmpdir(), "kappa-gate-"));
  const dir = join(parent, "worktree");
  await git(["worktree", "add", "--detach", "--quiet", dir, options.commit], { cwd: options.repo, signal: options.signal });
  try {
    const { code, output, reason } = await runInGroup(options.command, dir, options.timeoutMs, options.signal, options.tailChars ?? 8000);
    const suffix = reason ? `\n[kappa] ${reason}` : "";
    return { ok: code === 0 && !reason, output: `${output}${suffix}`, durationMs: Math.round(performance.now() - started) };
  } finally {
    await git(["worktree", "remove", "--force", dir], { cwd: options.repo, okCodes: [0, 128] }).catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    await git(["worktree", "prune"], { cwd: options.repo }).catch(() => undefined);
  }
}

function runInGroup(command: string, cwd: string, timeoutMs: number, signal: AbortSignal, tailChars: number): Promise<{ code: number | null; output: string; reason?: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd, env: { ...processEnvironment(), CI: "1" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let reason: string | undefined;
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-tailChars);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const kill = (why: string): void => {
      reason ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`test command timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => kill("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      reason ??= `could not start the test command: ${error.message}`;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve({ code, output, ...(reason ? { reason } : {}) });
    });
  });
}

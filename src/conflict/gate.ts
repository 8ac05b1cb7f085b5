/**
 * The verification gate: the project's test command on a merge commit, in a temporary detached worktree (the
 * user's worktree and the integration branch are never checked out). The command runs through workspace's
 * process-group runner, so a timeout or abort stops everything it started; the worktree is added and removed
 * under the worktree lock, like every worktree change.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processEnvironment, throwIfAborted } from "../core/index.js";
import { git, runInProcessGroup, shellArgv, withWorktreeLock } from "../workspace/index.js";

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
  // Like every `git worktree add/remove/prune`, under the repository's worktree lock: tasks start at the same time.
  await withWorktreeLock(options.repo, () => git(["worktree", "add", "--detach", "--quiet", dir, options.commit], { cwd: options.repo, signal: options.signal }));
  try {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(processEnvironment())) if (v !== undefined) env[k] = v;
    env.CI = "1";
    const r = await runInProcessGroup({ argv: shellArgv(options.command), cwd: dir, env, timeoutMs: options.timeoutMs, signal: options.signal, maxOutputBytes: options.tailChars ?? 8000 });
    const reason = r.aborted
      ? "aborted"
      : r.timedOut
        ? `test command timed out after ${options.timeoutMs} ms`
        : r.spawnError
          ? `could not start the test command: ${r.spawnError.message}`
          : undefined;
    const suffix = reason ? `\n[kappa] ${reason}` : "";
    return { ok: r.exitCode === 0 && !reason, output: `${r.output}${suffix}`, durationMs: Math.round(performance.now() - started) };
  } finally {
    await withWorktreeLock(options.repo, async () => {
      await git(["worktree", "remove", "--force", dir], { cwd: options.repo, okCodes: [0, 128] }).catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
      await git(["worktree", "prune"], { cwd: options.repo }).catch(() => undefined);
    });
  }
}

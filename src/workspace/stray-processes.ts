/**
 * Agent processes left behind by an orchestrator that was killed (SIGKILL cannot take its children along):
 * on resume they would keep editing a worktree next to the new session, and keep spending tokens. They are
 * found by their working directory under the run's worktrees (Linux /proc; elsewhere nothing is found).
 */
import { readdirSync, readlinkSync } from "node:fs";
import { sep } from "node:path";

/** PIDs of processes (other than this one) whose working directory is `dir` or inside it. */
export function processesInside(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(prefix)) pids.push(pid);
    } catch {
      // gone, or not ours to inspect
    }
  }
  return pids;
}

/** Kills what {@link processesInside} finds; returns the PIDs that were signalled. */
export function killProcessesInside(dir: string): number[] {
  const killed: number[] = [];
  for (const pid of processesInside(dir)) {
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Agent processes left behind in a task's worktree: by an orchestrator that was killed (SIGKILL cannot take
 * its children along) or by a tool whose parent died while it was being killed. On resume they would keep
 * editing the worktree next to the new session, and keep spending tokens. They are found by working directory
 * (Linux /proc; elsewhere nothing is found) and by session: only processes of an agent's own session are
 * touched, never, say, a shell of yours that happens to be in the worktree.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { sep } from "node:path";

interface ProcessInfo {
  pid: number;
  sid: number;
  cmdline: string;
}

/** Processes (other than this one) whose working directory is `dir` or inside it. */
function processesIn(dir: string): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const found: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd !== dir && !cwd.startsWith(prefix)) continue;
      // stat: "pid (comm) state ppid pgrp session …"; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      found.push({ pid, sid: Number(fields[3]), cmdline });
    } catch {
      // gone, or not ours to inspect
    }
  }
  return found;
}

/** PIDs of processes whose working directory is `dir` or inside it. */
export function processesInside(dir: string): number[] {
  return processesIn(dir).map((p) => p.pid);
}

function kill(pids: number[]): number[] {
  const killed: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

/** Kills the processes in `dir` that belong to session `sid` (an agent started in its own session). */
export function killSessionInside(dir: string, sid: number): number[] {
  return kill(processesIn(dir).filter((p) => p.sid === sid).map((p) => p.pid));
}

/**
 * Kills the sessions in `dir` whose leader's command line contains `agentCommand` (e.g. the Claude Code
 * executable), with every process of those sessions working there.
 */
export function killAgentSessionsInside(dir: string, agentCommand: string): number[] {
  if (agentCommand.trim() === "") return [];
  const inside = processesIn(dir);
  const sessions = new Set(inside.filter((p) => p.sid === p.pid && p.cmdline.includes(agentCommand)).map((p) => p.sid));
  return kill(inside.filter((p) => sessions.has(p.sid)).map((p) => p.pid));
}

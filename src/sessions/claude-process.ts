/**
 * Spawns the Claude Code CLI in its own process group and kills it with everything it started. The SDK's own
 * abort closes stdin and waits a grace period; kappa must guarantee that when a session ends, no CLI, shell or
 * tool process of it is left running, so it kills the whole tree itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { SpawnedProcess, SpawnOptions } from "@anthropic-ai/claude-agent-sdk";
import { killSessionInside } from "../workspace/index.js";

const STDERR_TAIL_BYTES = 8192;

/** Parent pid of every process, from /proc (Linux); empty elsewhere. */
function processTable(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid … — comm may contain spaces and parentheses: split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

/** `pid` and all its descendants that are alive now. */
export function processTree(pid: number): number[] {
  const parents = processTable();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (next !== pid || parents.has(pid)) out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export class ClaudeProcess {
  /**
   * @param sweepDir a directory only this session works in (its worktree): after the CLI is gone, any process
   * still working there (a tool's child that was reparented when its parent died) is killed too.
   */
  constructor(private readonly sweepDir?: string) {}

  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderrChunks: Buffer[] = [];
  private stderrBytes = 0;

  /** For the SDK's `spawnClaudeCodeProcess` option. */
  readonly spawn = (options: SpawnOptions): SpawnedProcess => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true, // own process group, so that the whole group can be killed
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrChunks.push(chunk);
      this.stderrBytes += chunk.length;
      while (this.stderrBytes > STDERR_TAIL_BYTES && this.stderrChunks.length > 1) {
        this.stderrBytes -= (this.stderrChunks.shift() as Buffer).length;
      }
    });
    child.stdin?.on("error", () => undefined);
    options.signal.addEventListener("abort", () => this.kill(), { once: true });
    return child;
  };

  get pid(): number | undefined {
    return this.child?.pid;
  }

  stderrTail(): string {
    return Buffer.concat(this.stderrChunks).toString("utf8").slice(-2000);
  }

  /** SIGKILLs the CLI's process group and every descendant (even those that left the group). */
  kill(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    const tree = processTree(pid);
    signal(-pid, "SIGKILL");
    for (const p of tree) signal(p, "SIGKILL");
  }

  /**
   * Waits up to `graceMs` for the CLI to exit by itself, then kills whatever of its tree is left and waits
   * until the CLI has exited: afterwards no process of the session runs.
   */
  async ensureGone(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const running = (): boolean => child.exitCode === null && child.signalCode === null;
    if (running()) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    // Children (tool shells, servers started by Bash) can outlive a CLI that exited normally.
    this.kill();
    if (running()) await this.exited;
    if (this.sweepDir) await sweep(this.sweepDir, child.pid);
  }
}

/**
 * Kills what of the CLI's session (it was spawned as a session leader) still works in `dir`, until nothing
 * does: a tool's child forked while the tree was being killed is reparented and no longer a descendant.
 */
async function sweep(dir: string, sid: number): Promise<void> {
  for (let round = 0; round < 20; round++) {
    if (killSessionInside(dir, sid).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/git.js";
import { killAgentSessionsInside, killSessionInside, processesInside } from "../../../src/workspace/index.js";

const exited = (child: ChildProcess): Promise<unknown> => new Promise((resolve) => child.on("exit", resolve));
/** Waits (polling /proc) until `check` holds, at most 10 s: processes start and end at the machine's pace. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe("agent processes left behind in a worktree", () => {
  let tmp: { dir: string; cleanup(): void } | undefined;
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
    tmp?.cleanup();
  });

  function start(command: string, args: string[], cwd: string): ChildProcess {
    // detached: its own session, as kappa starts agents.
    const child = spawn(command, args, { cwd, detached: true, stdio: "ignore" });
    children.push(child);
    return child;
  }

  it("are stopped by session when the agent's command is recognised, with their children; other processes there are left alone", async () => {
    tmp = tempDir();
    const worktree = join(tmp.dir, "worktrees", "run", "task");
    mkdirSync(join(worktree, "src"), { recursive: true });
    mkdirSync(join(tmp.dir, "elsewhere"), { recursive: true });
    // An "agent" whose session also runs a tool in a subdirectory, a bystander (your shell, say) in the same
    // worktree, and an agent-looking process outside it.
    const agent = start("sh", ["-c", "sleep 31 & cd src && sleep 32 & wait"], worktree);
    const bystander = start("sleep", ["33"], worktree);
    const outside = start("sh", ["-c", "sleep 34"], join(tmp.dir, "elsewhere"));
    await until(() => processesInside(worktree).length >= 4);
    expect(processesInside(worktree).length).toBeGreaterThanOrEqual(4);
    const agentGone = exited(agent);
    const killed = killAgentSessionsInside(worktree, "sh -c sleep 31");
    expect(killed.length).toBe(3); // the shell and its two sleeps
    await agentGone;
    await until(() => processesInside(worktree).length <= 1);
    expect(processesInside(worktree)).toEqual([bystander.pid]);
    expect(outside.exitCode).toBeNull();
    expect(killAgentSessionsInside(worktree, "")).toEqual([]);
  });

  it("are stopped by session id, and only that session", async () => {
    tmp = tempDir();
    const dir = join(tmp.dir, "wt");
    mkdirSync(dir, { recursive: true });
    const session = start("sleep", ["35"], dir);
    const other = start("sleep", ["36"], dir);
    await until(() => processesInside(dir).length >= 2);
    expect(killSessionInside(dir, session.pid ?? -1)).toEqual([session.pid]);
    await exited(session);
    expect(processesInside(dir)).toEqual([other.pid]);
  });
});

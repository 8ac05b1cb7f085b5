/** The pipeline's worktree ports: a task's worktree and environment, committing its work, removing it once merged. */
import { existsSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { commitTaskWork, forgetWorktree, git, gitText, killAgentSessionsInside, prepareTaskEnvironment, prepareTaskWorktree, withWorktreeLock, worktreeGitDir } from "../workspace/index.js";
import type { RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";

type WorkspacePorts = Pick<RunPorts, "prepareWorkspace" | "commitWork" | "stopStrayProcesses" | "releaseWorkspace">;

/** `agentCommand`: what an agent session's leader runs (the Claude Code executable, or the command driver's program). */
export function workspacePorts(ctx: RunContext, agentCommand: string): WorkspacePorts {
  const { repo, runId, config } = ctx;
  return {
    async prepareWorkspace(task, from, signal) {
      const worktree = await prepareTaskWorktree({ repo, runId, taskId: task.id, from, signal });
      const env = await prepareTaskEnvironment({
        repo,
        dir: worktree.dir,
        copyFiles: config.copyFiles,
        setupCommand: config.setupCommand,
        taskIndex: task.position,
        portBase: config.taskPortBase,
        portsPerTask: config.portsPerTask,
        runId,
        taskId: task.id,
        signal,
        timeoutMs: ctx.limits.sessionTimeoutMs,
      });
      const failed = env.setup && !env.setup.ok ? tail(env.setup.output) : undefined;
      return { dir: worktree.dir, branch: worktree.branch, env: env.env, setupFailure: failed };
    },

    commitWork(task, workspace, signal) {
      return commitTaskWork({ dir: workspace.dir, runId, taskId: task.id, title: task.title, attempt: task.attempts, neverCommit: config.neverCommit, signal });
    },

    stopStrayProcesses(dir) {
      return Promise.resolve(killAgentSessionsInside(dir, agentCommand).length);
    },

    async releaseWorkspace(dir) {
      // Never forced: a worktree with anything uncommitted (or untracked and not ignored) stays where it is.
      // Checking and deleting outside the worktree lock, then dropping its registration under it, keeps the
      // lock short. A worktree already gone (removed before a crash) is released.
      if (!existsSync(dir)) return;
      const status = await gitText(["status", "--porcelain", "--untracked-files=normal"], { cwd: dir });
      if (status !== "") throw new Error(`worktree ${dir} has uncommitted changes; kept`);
      const gitDir = worktreeGitDir(dir);
      await rm(dir, { recursive: true, force: true }); // a large checkout would block the event loop with rmSync
      await withWorktreeLock(realpathSync(repo), async () => {
        if (!forgetWorktree(dir, gitDir)) await git(["worktree", "prune"], { cwd: repo });
      });
    },
  };
}

function tail(text: string, lines = 20): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

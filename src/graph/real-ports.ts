/**
 * The pipeline's ports wired to the real world: git worktrees (workspace/), the session pool (sessions/),
 * merging with the strategy chain and the review queue (conflict/), and the verification gate.
 */
import { realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import type pg from "pg";
import type { KappaConfig, Logger, PlannedTask } from "../core/index.js";
import { getConflict, lastAgentSessionId, listConflicts, markConflictApplied, type TaskRow } from "../knowledge/index.js";
import { applyResolution, changedFiles, mergeIntoBranch, PgPrecedentStore, queueConflict, runGate, type AgentResolver, type MergeOutcome, type MergeTaskContext } from "../conflict/index.js";
import type { SessionPool } from "../sessions/index.js";
import { commitTaskWork, forgetWorktree, git, gitText, worktreeGitDir, killAgentSessionsInside, withWorktreeLock, prepareTaskEnvironment, prepareTaskWorktree } from "../workspace/index.js";
import type { MergeResult, RunPorts } from "./ports.js";

export interface RealPortsOptions {
  repo: string;
  runId: string;
  integrationBranch: string;
  config: KappaConfig;
  pool: pg.Pool;
  sessions: SessionPool;
  logger: Logger;
  agent?: AgentResolver | undefined;
  /** What an agent session's leader runs (the Claude Code executable, or the command driver's program). */
  agentCommand: string;
}

export function realPorts(options: RealPortsOptions): RunPorts {
  const { repo, runId, integrationBranch, config, pool, sessions } = options;
  const ref = `refs/heads/${integrationBranch}`;
  const precedents = new PgPrecedentStore(pool);

  let lastMergedFinish: number | undefined;
  const lastMergedFinishedAt = async (): Promise<number> => {
    const { rows } = await pool.query<{ at: number | null }>(
      "SELECT (extract(epoch FROM max(finished_at)) * 1000)::float8 AS at FROM tasks WHERE run_id = $1 AND status = 'merged'",
      [runId],
    );
    return rows[0]?.at ?? 0;
  };

  // Only this orchestrator moves the integration branch (one per run, by advisory lock): its head is read once
  // and then followed through merges and reverts.
  let knownHead: string | undefined;
  const head = async (signal: AbortSignal): Promise<string> => {
    knownHead ??= await gitText(["rev-parse", "--verify", `${ref}^{commit}`], { cwd: repo, signal });
    return knownHead;
  };

  /** The first-parent merge commit on `to` that brought in `commit`, or undefined when `to` does not contain it. */
  const findMerge = async (commit: string, to: string, signal: AbortSignal): Promise<MergeResult | undefined> => {
    const out = await gitText(["log", "--first-parent", "--ancestry-path", "--reverse", "--format=%H %P%x00%(trailers:key=Kappa-Strategy,valueonly)", `${commit}..${to}`], { cwd: repo, signal });
    const first = out.split("\n")[0];
    if (!first) return undefined;
    const [ids = "", strategy = ""] = first.split("\0");
    const [merge = "", parent = ""] = ids.split(" ");
    // `commit` on the branch's own line (a task that changed nothing) was not merged by anything.
    if (parent === commit) return undefined;
    return { status: "merged", commit: merge, previousHead: parent, strategy: strategy.trim() || "merge", settled: merge !== to };
  };

  const toMergeResult = async (outcome: MergeOutcome, context: MergeTaskContext, message: string): Promise<MergeResult> => {
    if (outcome.status === "merged") {
      knownHead = outcome.commit;
      return { status: "merged", commit: outcome.commit, previousHead: outcome.previous, strategy: outcome.strategy };
    }
    const row = await queueConflict(pool, outcome, context, message);
    return { status: "conflict", files: outcome.files, conflictId: String(row.id) };
  };

  return {
    integrationHead: head,

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
        timeoutMs: config.sessionTimeout * 1000,
      });
      const failed = env.setup && !env.setup.ok ? tail(env.setup.output) : undefined;
      return { dir: worktree.dir, branch: worktree.branch, env: env.env, setupFailure: failed };
    },

    async runSession(task, workspace, { signal, feedback, priority }) {
      // A session cut short (crash, Ctrl-C) continues its conversation when its transcript is still there.
      const resumeSessionId = task.reason?.startsWith("interrupted") ? await lastAgentSessionId(pool, runId, task.id) : undefined;
      const { result, attempts, totalCostUsd } = await sessions.run({
        task: toPlanned(task),
        workspace: { dir: workspace.dir, env: workspace.env },
        runId,
        priority,
        signal,
        feedback,
        resumeSessionId,
      });
      return {
        ok: result.status === "completed",
        reason: result.error,
        errorKind: result.errorKind,
        costUsd: totalCostUsd,
        attempts,
        filesChanged: result.filesChanged,
      };
    },

    async commitWork(task, workspace, signal) {
      return commitTaskWork({ dir: workspace.dir, runId, taskId: task.id, title: task.title, signal });
    },

    stopStrayProcesses(dir) {
      return Promise.resolve(killAgentSessionsInside(dir, options.agentCommand).length);
    },

    async releaseWorkspace(dir) {
      // Never forced: a worktree with anything uncommitted (or untracked and not ignored) stays where it is.
      // Checking and deleting outside the worktree lock, then dropping its registration under it, keeps the
      // lock short.
      const status = await gitText(["status", "--porcelain", "--untracked-files=normal"], { cwd: dir });
      if (status !== "") throw new Error(`worktree ${dir} has uncommitted changes; kept`);
      const gitDir = worktreeGitDir(dir);
      await rm(dir, { recursive: true, force: true }); // a large checkout would block the event loop with rmSync
      await withWorktreeLock(realpathSync(repo), async () => {
        if (!forgetWorktree(dir, gitDir)) await git(["worktree", "prune"], { cwd: repo });
      });
    },

    async merge(task, theirs, finishedAt, signal) {
      // A task that was already completed when this process started may have been merged just before a crash
      // (the branch moved, the task row not yet): find that merge instead of adding an empty one.
      if (task.status === "completed") {
        const earlier = await findMerge(theirs, await head(signal), signal);
        if (earlier) return earlier;
      }
      // The integration side is the work of the tasks merged so far: it is as new as the last of them.
      lastMergedFinish ??= await lastMergedFinishedAt();
      const context: MergeTaskContext = { runId, taskId: task.id, taskTitle: task.title, finishedAt: { ours: lastMergedFinish, theirs: finishedAt } };
      const message = `kappa: merge ${task.id} — ${task.title}`;
      const outcome = await mergeIntoBranch({
        repo,
        branch: integrationBranch,
        theirs,
        message,
        rules: config.conflictStrategies,
        versionConflict: config.versionConflict,
        context,
        precedents,
        agent: options.agent,
        expectedHead: knownHead,
        signal,
      });
      if (outcome.status === "merged") lastMergedFinish = Math.max(lastMergedFinish, finishedAt);
      return toMergeResult(outcome, context, message);
    },

    mergedFiles(from, to, signal) {
      return changedFiles(repo, from, to, signal);
    },

    async resolvedConflicts() {
      const rows = await listConflicts(pool, { runId, status: "resolved" });
      return rows.map((c) => ({ conflictId: String(c.id), taskId: c.taskId }));
    },

    async applyResolution(conflictId, signal) {
      const conflict = await getConflict(pool, Number(conflictId));
      if (!conflict) throw new Error(`conflict ${conflictId} not found`);
      const outcome = await applyResolution({ repo, branch: integrationBranch, conflict, rules: config.conflictStrategies, precedents, signal });
      await markConflictApplied(pool, conflict.id);
      const context: MergeTaskContext = { runId, taskId: conflict.taskId, taskTitle: conflict.taskId, finishedAt: { ours: 0, theirs: 0 } };
      return toMergeResult(outcome, context, `kappa: merge ${conflict.taskId} (resolved conflict ${conflict.id})`);
    },

    async gate(commit, signal) {
      if (!config.testCommand) return undefined;
      return runGate({ repo, commit, command: config.testCommand, timeoutMs: config.testTimeout * 1000, signal });
    },

    async revertIntegration(to, from, signal) {
      await git(["update-ref", "-m", "kappa: revert a merge that failed the verification gate", ref, to, from], { cwd: repo, signal });
      knownHead = to;
    },
  };
}

export function toPlanned(task: TaskRow): PlannedTask {
  return {
    id: task.id,
    title: task.title,
    prompt: task.prompt,
    category: task.category as PlannedTask["category"],
    complexity: task.complexity,
    priority: task.priority as PlannedTask["priority"],
    estimateMinutes: task.estimateMinutes,
    dependsOn: task.dependsOn,
    files: task.files,
    acceptance: task.acceptance,
    requirements: task.requirements,
  };
}

function tail(text: string, lines = 20): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

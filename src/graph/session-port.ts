/** The pipeline's session port: a task's attempt run by the session pool (router, retries, watchdog). */
import type { PlannedTask } from "../core/index.js";
import { lastAgentSessionId, type TaskRow } from "../knowledge/index.js";
import type { SessionPool } from "../sessions/index.js";
import type { RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";

export function sessionPort(ctx: RunContext, sessions: SessionPool): Pick<RunPorts, "runSession"> {
  const { pool, runId } = ctx;
  return {
    async runSession(task, workspace, { signal, feedback, priority, continueConversation }) {
      // A session cut short (crash, Ctrl-C) continues its conversation when its transcript is still there.
      const resumeSessionId = continueConversation ? await lastAgentSessionId(pool, runId, task.id) : undefined;
      const { result, attempts, totalCostUsd } = await sessions.run({
        task: toPlanned(task),
        workspace: { dir: workspace.dir, env: workspace.env },
        runId,
        priority,
        signal,
        feedback,
        resumeSessionId,
        taskAttempt: task.attempts,
      });
      return { ok: result.status === "completed", reason: result.error, errorKind: result.errorKind, costUsd: totalCostUsd, attempts, filesChanged: result.filesChanged };
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

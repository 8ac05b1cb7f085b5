/**
 * The `agent` conflict strategy: a Claude session (through the same pool, so limits, retries and the breaker
 * apply) in a scratch git repository holding the conflicted file with git-style markers and both tasks'
 * descriptions. Its answer counts only when no marker is left; the verification gate then checks the merge.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type pg from "pg";
import type { PlannedTask } from "../core/index.js";
import { hasConflictMarkers, mergeTextRegions, withConflictMarkers, type AgentResolver } from "../conflict/index.js";
import { listTasks } from "../knowledge/index.js";
import type { SessionPool } from "../sessions/index.js";
import { git } from "../workspace/index.js";

export function agentResolver(sessions: SessionPool, pool: pg.Pool, runId: string): AgentResolver {
  return async ({ path, base, ours, theirs, context, signal }) => {
    if (ours === undefined || theirs === undefined) return undefined; // deletions go to a human
    const marked = withConflictMarkers(mergeTextRegions(base ?? "", ours, theirs), { ours: "integration branch", theirs: context.taskId, base: "base" });
    const task = (await listTasks(pool, runId)).find((t) => t.id === context.taskId);
    const dir = mkdtempSync(join(tmpdir(), "kappa-resolve-"));
    try {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), marked);
      await git(["init", "-q"], { cwd: dir, signal });
      const prompt = [
        `The file ${path} has merge conflicts between the integration branch (work of tasks already merged) and task "${context.taskId}"${task ? ` (${task.title})` : ""}.`,
        "Resolve every conflict so that the file keeps the intent of BOTH sides; remove all conflict markers (<<<<<<<, |||||||, =======, >>>>>>>).",
        "Edit only this file. If the two sides cannot both be kept, keep the file unchanged with its markers: a person will decide.",
        task ? `\nWhat task ${context.taskId} was asked to do:\n${task.prompt}` : "",
      ].join("\n");
      const resolveTask: PlannedTask = {
        id: `resolve-${context.taskId}`.slice(0, 63),
        title: `Resolve the merge conflict in ${path}`,
        prompt,
        category: "logic",
        complexity: 1,
        priority: "P0",
        estimateMinutes: 5,
        dependsOn: [],
        files: [path],
        acceptance: [`${path} has no conflict markers and keeps both sides' changes`],
        requirements: [],
      };
      const { result } = await sessions.run({ task: resolveTask, workspace: { dir, env: {} }, runId, priority: Number.MAX_SAFE_INTEGER, signal });
      if (result.status !== "completed") return undefined;
      const content = readFileSync(join(dir, path), "utf8");
      return hasConflictMarkers(content) || content === marked ? undefined : { content };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

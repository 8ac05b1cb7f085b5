import type pg from "pg";
import type { PlannedTask, TaskStatus } from "../../core/index.js";

export interface TaskRow {
  runId: string;
  id: string;
  position: number;
  title: string;
  prompt: string;
  category: string;
  complexity: number;
  priority: string;
  estimateMinutes: number;
  files: string[];
  acceptance: string[];
  requirements: string[];
  status: TaskStatus;
  attempts: number;
  reason: string | null;
  branch: string | null;
  worktree: string | null;
  headCommit: string | null;
  mergeCommit: string | null;
  mergeStrategy: string | null;
  feedback: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  dependsOn: string[];
}

const COLUMNS = `t.run_id AS "runId", t.id, t.position, t.title, t.prompt, t.category, t.complexity, t.priority,
  t.estimate_minutes AS "estimateMinutes", t.files, t.acceptance, t.requirements, t.status, t.attempts, t.reason, t.branch,
  t.worktree, t.head_commit AS "headCommit", t.merge_commit AS "mergeCommit", t.merge_strategy AS "mergeStrategy", t.feedback,
  t.started_at AS "startedAt", t.finished_at AS "finishedAt", t.duration_ms::float8 AS "durationMs",
  COALESCE((SELECT array_agg(d.depends_on ORDER BY d.depends_on) FROM task_dependencies d WHERE d.run_id = t.run_id AND d.task_id = t.id), '{}') AS "dependsOn"`;

/** Stores a plan's tasks and edges; idempotent (a re-run after a crash inserts nothing twice). */
export async function insertTasks(client: pg.Pool | pg.PoolClient, runId: string, tasks: PlannedTask[]): Promise<void> {
  for (const [position, t] of tasks.entries()) {
    await client.query(
      `INSERT INTO tasks (run_id, id, position, title, prompt, category, complexity, priority, estimate_minutes, files, acceptance, requirements)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (run_id, id) DO NOTHING`,
      [runId, t.id, position, t.title, t.prompt, t.category, t.complexity, t.priority, t.estimateMinutes, JSON.stringify(t.files), JSON.stringify(t.acceptance), JSON.stringify(t.requirements)],
    );
  }
  for (const t of tasks) {
    for (const dep of t.dependsOn) {
      await client.query("INSERT INTO task_dependencies (run_id, task_id, depends_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [runId, t.id, dep]);
    }
  }
}

export async function listTasks(pool: pg.Pool, runId: string): Promise<TaskRow[]> {
  const { rows } = await pool.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks t WHERE t.run_id = $1 ORDER BY t.position`, [runId]);
  return rows;
}

export interface TaskPatch {
  status?: TaskStatus;
  attempts?: number;
  reason?: string | null;
  branch?: string;
  worktree?: string;
  headCommit?: string | null;
  mergeCommit?: string | null;
  mergeStrategy?: string | null;
  feedback?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  durationMs?: number | null;
}

const PATCH_COLUMNS: Record<keyof TaskPatch, string> = {
  status: "status",
  attempts: "attempts",
  reason: "reason",
  branch: "branch",
  worktree: "worktree",
  headCommit: "head_commit",
  mergeCommit: "merge_commit",
  mergeStrategy: "merge_strategy",
  feedback: "feedback",
  startedAt: "started_at",
  finishedAt: "finished_at",
  durationMs: "duration_ms",
};

export async function updateTask(pool: pg.Pool, runId: string, taskId: string, patch: TaskPatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof TaskPatch, unknown][];
  if (entries.length === 0) return;
  const sets = entries.map(([k], i) => `${PATCH_COLUMNS[k]} = $${i + 3}`);
  await pool.query(`UPDATE tasks SET ${sets.join(", ")} WHERE run_id = $1 AND id = $2`, [runId, taskId, ...entries.map(([, v]) => v)]);
}

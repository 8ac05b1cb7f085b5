import type pg from "pg";
import type { InterruptionCause, PlannedTask, TaskStatus } from "../../core/index.js";

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
  /** The current attempt's number: 0 before the first start, + 1 at every start. */
  attempts: number;
  reason: string | null;
  /** Set while the task is pending after a crash or a stop cut its session short. */
  interruptedBy: InterruptionCause | null;
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

export const TASK_COLUMNS = `t.run_id AS "runId", t.id, t.position, t.title, t.prompt, t.category, t.complexity, t.priority,
  t.estimate_minutes AS "estimateMinutes", t.files, t.acceptance, t.requirements, t.status, t.attempts, t.reason, t.interrupted_by AS "interruptedBy", t.branch,
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
  const { rows } = await pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.run_id = $1 ORDER BY t.position`, [runId]);
  return rows;
}

/** When the newest merged task of a run finished (ms since the epoch; 0 when none is merged). */
export async function lastMergedFinishedAt(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ at: number | null }>(
    "SELECT (extract(epoch FROM max(finished_at)) * 1000)::float8 AS at FROM tasks WHERE run_id = $1 AND status = 'merged'",
    [runId],
  );
  return rows[0]?.at ?? 0;
}

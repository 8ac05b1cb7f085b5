import type pg from "pg";
import type { Plan, RunStatus } from "../../core/index.js";

/** Options a run was started with; stored so that `kappa resume` continues with the same ones. */
export interface RunOptions {
  maxParallel: number;
  schedule: "dag" | "waves";
  simulate?: string | undefined;
  mergeTo?: string | undefined;
  planner?: string | undefined;
  serializeOverlaps?: boolean | undefined;
  /** Started with `--no-sandbox`: sessions run without the OS sandbox. */
  noSandbox?: boolean | undefined;
}

export interface RunRow {
  id: string;
  projectId: string;
  status: RunStatus;
  specPath: string | null;
  plan: Plan;
  options: RunOptions;
  baseCommit: string | null;
  integrationBranch: string | null;
  cancelRequested: boolean;
  owner: string | null;
  heartbeatAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  summary: Record<string, unknown> | null;
}

const COLUMNS = `id, project_id AS "projectId", status, spec_path AS "specPath", plan, options, base_commit AS "baseCommit",
  integration_branch AS "integrationBranch", cancel_requested AS "cancelRequested", owner, heartbeat_at AS "heartbeatAt",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", summary`;

export async function insertRun(
  pool: pg.Pool | pg.PoolClient,
  run: { id: string; projectId: string; specPath: string | undefined; plan: Plan; options: RunOptions },
): Promise<void> {
  await pool.query("INSERT INTO runs (id, project_id, spec_path, plan, options) VALUES ($1, $2, $3, $4, $5)", [
    run.id,
    run.projectId,
    run.specPath ?? null,
    JSON.stringify(run.plan),
    JSON.stringify(run.options),
  ]);
}

export async function getRun(pool: pg.Pool, id: string): Promise<RunRow | undefined> {
  const { rows } = await pool.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE id = $1`, [id]);
  return rows[0];
}

/** Runs of a project whose id starts with `prefix` (users type short ids). */
export async function findRunsByPrefix(pool: pg.Pool, projectId: string, prefix: string): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT ${COLUMNS} FROM runs WHERE project_id = $1 AND starts_with(id, $2) ORDER BY created_at DESC LIMIT 5`,
    [projectId, prefix],
  );
  return rows;
}

export async function latestRun(pool: pg.Pool, projectId: string): Promise<RunRow | undefined> {
  const { rows } = await pool.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE project_id = $1 ORDER BY created_at DESC LIMIT 1`, [projectId]);
  return rows[0];
}

export async function listRuns(pool: pg.Pool, projectId: string, limit = 20): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE project_id = $1 ORDER BY created_at DESC LIMIT $2`, [projectId, limit]);
  return rows;
}

export async function markRunStarted(pool: pg.Pool, id: string, baseCommit: string, integrationBranch: string): Promise<void> {
  await pool.query(
    `UPDATE runs SET status = 'running', base_commit = COALESCE(base_commit, $2), integration_branch = COALESCE(integration_branch, $3),
       started_at = COALESCE(started_at, now()), finished_at = NULL WHERE id = $1`,
    [id, baseCommit, integrationBranch],
  );
}

export async function setRunStatus(pool: pg.Pool, id: string, status: RunRow["status"], summary?: Record<string, unknown>): Promise<void> {
  const final = status !== "running" && status !== "pending";
  await pool.query(
    `UPDATE runs SET status = $2, summary = COALESCE($3, summary), finished_at = CASE WHEN $4 THEN now() ELSE NULL END,
       cancel_requested = CASE WHEN $2 = 'running' THEN false ELSE cancel_requested END WHERE id = $1`,
    [id, status, summary ? JSON.stringify(summary) : null, final],
  );
}

/** Marks the run as driven by `owner` (host:pid) now; called every few seconds while it runs. */
export async function heartbeatRun(pool: pg.Pool, id: string, owner: string): Promise<{ cancelRequested: boolean }> {
  const { rows } = await pool.query<{ cancelRequested: boolean }>(
    `UPDATE runs SET heartbeat_at = now(), owner = $2 WHERE id = $1 RETURNING cancel_requested AS "cancelRequested"`,
    [id, owner],
  );
  return { cancelRequested: rows[0]?.cancelRequested ?? false };
}

export async function requestCancel(pool: pg.Pool, id: string): Promise<void> {
  await pool.query("UPDATE runs SET cancel_requested = true WHERE id = $1", [id]);
}

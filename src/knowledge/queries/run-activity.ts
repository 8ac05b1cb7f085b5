import type pg from "pg";
import { projectIdFor } from "./projects.js";

/**
 * The one liveness threshold: a run is alive while its orchestrator's heartbeat (every 2 s) is younger than
 * this; older, it is presumed dead (crashed or killed). `kappa status`, `kappa cancel` and cleanup all use it.
 */
export const RUN_ALIVE_SECONDS = 30;

/** Whether an orchestrator is driving `run` now: status 'running' and a heartbeat younger than RUN_ALIVE_SECONDS. */
export function isRunAlive(run: { status: string; heartbeatAt: Date | null }, nowMs: number = Date.now()): boolean {
  return run.status === "running" && run.heartbeatAt !== null && nowMs - run.heartbeatAt.getTime() < RUN_ALIVE_SECONDS * 1000;
}

/**
 * Runs of the project at `projectRoot` that a live kappa process is still driving: status 'running' with a
 * recent heartbeat. Cleanup must not touch their worktrees or branches; everything else may be a leftover.
 */
export async function activeRunIds(pool: pg.Pool, projectRoot: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM runs
      WHERE project_id = $1 AND status = 'running'
        AND heartbeat_at IS NOT NULL AND heartbeat_at > now() - make_interval(secs => $2)`,
    [projectIdFor(projectRoot), RUN_ALIVE_SECONDS],
  );
  return new Set(rows.map((r) => r.id));
}

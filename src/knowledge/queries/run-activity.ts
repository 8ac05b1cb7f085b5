import type pg from "pg";
import { projectIdFor } from "./projects.js";

/** A run whose orchestrator has not written a heartbeat for this long is presumed dead (crashed or killed). */
export const RUN_HEARTBEAT_STALE_SECONDS = 60;

/**
 * Runs of the project at `projectRoot` that a live kappa process is still driving: status 'running' with a
 * recent heartbeat. Cleanup must not touch their worktrees or branches; everything else may be a leftover.
 */
export async function activeRunIds(pool: pg.Pool, projectRoot: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM runs
      WHERE project_id = $1 AND status = 'running'
        AND heartbeat_at IS NOT NULL AND heartbeat_at > now() - make_interval(secs => $2)`,
    [projectIdFor(projectRoot), RUN_HEARTBEAT_STALE_SECONDS],
  );
  return new Set(rows.map((r) => r.id));
}

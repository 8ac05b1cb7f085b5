import type pg from "pg";
import { RunLockedError } from "../../core/index.js";

/**
 * One orchestrator per run: a session-level advisory lock held on a dedicated connection for the run's
 * lifetime. A crashed process's connection closes and the lock goes with it.
 */
export async function acquireRunLock(pool: pg.Pool, runId: string): Promise<{ release(): Promise<void> }> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('kappa-run'), hashtext($1)) AS ok", [runId]);
    if (!rows[0]?.ok) throw new RunLockedError(runId);
  } catch (error) {
    client.release();
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query("SELECT pg_advisory_unlock(hashtext('kappa-run'), hashtext($1))", [runId]).catch(() => undefined);
      client.release();
    },
  };
}

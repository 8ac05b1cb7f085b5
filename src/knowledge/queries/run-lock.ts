import type pg from "pg";
import { RunLockedError } from "../../core/index.js";
import { isConnectionError, type OutageGuard } from "../outage.js";

export interface RunLock {
  release(): Promise<void>;
}

/** Where the run lock's dedicated connection comes from, and the outage guard that re-takes it. */
export interface RunLockOutage {
  /** A connection that bypasses the guard (the guard's reconnect hooks must not wait for themselves). */
  connect(): Promise<pg.PoolClient>;
  guard: OutageGuard;
}

const TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('kappa-run'), hashtext($1)) AS ok";

/**
 * One orchestrator per run: a session-level advisory lock held on a dedicated connection for the run's
 * lifetime. A crashed process's connection closes and the lock goes with it. When that connection is lost
 * (database restart, terminated backend), the lock is re-taken as soon as the database is back; if another
 * process took it meanwhile, the outage becomes final with a {@link RunLockedError}: this process stops.
 */
export async function acquireRunLock(pool: pg.Pool, runId: string, outage?: RunLockOutage): Promise<RunLock> {
  const connect = outage ? () => outage.connect() : () => pool.connect();
  let lost = false;
  let released = false;
  const take = async (): Promise<pg.PoolClient> => {
    const c = await connect();
    c.on("error", (error) => {
      if (released) return;
      lost = true;
      outage?.guard.noticeLost(error);
    });
    try {
      const { rows } = await c.query<{ ok: boolean }>(TRY_LOCK, [runId]);
      if (!rows[0]?.ok) throw new RunLockedError(runId);
    } catch (error) {
      c.release(true);
      throw error;
    }
    return c;
  };
  let client: pg.PoolClient | undefined = await take();
  const unhook = outage?.guard.onReconnect(async () => {
    if (released) return;
    if (!lost && client) {
      try {
        await client.query("SELECT 1"); // the lock's connection survived the outage: the lock is still ours
        return;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
      }
    }
    client?.release(true);
    client = undefined;
    client = await take();
    lost = false;
  });
  return {
    async release() {
      if (released) return;
      released = true;
      unhook?.();
      if (!client) return;
      if (!lost) await client.query("SELECT pg_advisory_unlock(hashtext('kappa-run'), hashtext($1))", [runId]).catch(() => undefined);
      client.release(lost);
      client = undefined;
    },
  };
}

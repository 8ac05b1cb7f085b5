/** One-time setup (CREATE TABLE …) that two processes starting together must not race on: per name and schema. */
import type pg from "pg";

export async function withSetupLock<T>(pool: pg.Pool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1), hashtext(current_schema()))", [name]);
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1), hashtext(current_schema()))", [name]).catch(() => undefined);
    client.release();
  }
}

/**
 * Forward-only migrations: numbered `.sql` files in `migrations/`, each applied in its own transaction, all of
 * them under one advisory lock so that two processes starting together never race.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { DatabaseError } from "../core/index.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
/** Arbitrary constant: "kappa" in ASCII, namespaced by schema below. */
const LOCK_NAMESPACE = 0x6b617070;

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file) => ({
    version: Number.parseInt(file.slice(0, 3), 10),
    name: file.replace(/\.sql$/, ""),
    sql: readFileSync(`${dir}/${file}`, "utf8"),
  }));
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(pool: pg.Pool, migrations = loadMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1, hashtext(current_schema()))", [LOCK_NAMESPACE]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS kappa_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set(
        (await client.query<{ version: number }>("SELECT version FROM kappa_migrations")).rows.map((r) => r.version),
      );
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        try {
          await client.query("BEGIN");
          await client.query(migration.sql);
          await client.query("INSERT INTO kappa_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
          await client.query("COMMIT");
          applied.push(migration.name);
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw new DatabaseError(`database migration ${migration.name} failed: ${(error as Error).message}`, {
            hint: "nothing of this migration was applied; check the database user may create tables, then run again",
            cause: error,
          });
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))", [LOCK_NAMESPACE]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
  return applied;
}

import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/core/index.js";
import { loadMigrations, migrate, openDatabase, type Database } from "../../../src/knowledge/index.js";
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from "../../helpers/db.js";

const schemas: string[] = [];
const open: Database[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const s of schemas.splice(0)) await dropSchema(s);
});

async function openIn(schema: string, migrateOnOpen = true): Promise<Database> {
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, pgDir: "/nonexistent", schema, logger: silentLogger(), migrate: migrateOnOpen });
  open.push(db);
  return db;
}

async function tablesIn(pool: pg.Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema]);
  return rows.map((r) => r.table_name);
}

describe("database migrations", () => {
  it("create every table later features need, once, and a second run applies nothing", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const db = await openIn(schema, false);
    expect(await tablesIn(db.pool, schema)).toEqual([]);

    const all = loadMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    expect(await migrate(db.pool)).toEqual(all.map((m) => m.name));
    const tables = await tablesIn(db.pool, schema);
    for (const t of ["projects", "runs", "tasks", "task_dependencies", "sessions", "session_events", "conflicts", "context_entries", "ledger", "kappa_migrations"]) {
      expect(tables).toContain(t);
    }

    expect(await migrate(db.pool)).toEqual([]);
    const { rows } = await db.pool.query<{ version: number; n: string }>("SELECT version, count(*) AS n FROM kappa_migrations GROUP BY version ORDER BY version");
    expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(all.map((m) => [m.version, 1]));
  });

  it("keep the data already stored when kappa opens the database again", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const first = await openIn(schema);
    await first.pool.query("INSERT INTO projects (id, name, root) VALUES ('p1', 'shop', '/src/shop')");
    await first.close();
    const second = await openIn(schema);
    const { rows } = await second.pool.query<{ name: string }>("SELECT name FROM projects WHERE id = 'p1'");
    expect(rows).toEqual([{ name: "shop" }]);
  });

  it("roll back a failing migration completely and report which one failed", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const db = await openIn(schema);
    const bad = [{ version: 900, name: "900_broken", sql: "CREATE TABLE half_done (id int); SELECT no_such_function();" }];
    const error = await migrate(db.pool, bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DATABASE" });
    expect((error as Error).message).toContain("900_broken");
    expect(await tablesIn(db.pool, schema)).not.toContain("half_done");
    const { rows } = await db.pool.query("SELECT 1 FROM kappa_migrations WHERE version = 900");
    expect(rows).toEqual([]);
  });

  it("refuse a schema name that could inject SQL", async () => {
    await expect(openDatabase({ databaseUrl: TEST_DATABASE_URL, pgDir: "/nonexistent", schema: "x; DROP TABLE y", logger: silentLogger() })).rejects.toMatchObject({ code: "DATABASE" });
  });

  it("explain an unreachable DATABASE_URL without showing its password", async () => {
    const error = await openDatabase({ databaseUrl: "postgresql://kappa:hunter2secret@127.0.0.1:1/none", pgDir: "/nonexistent", logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DATABASE" });
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("hunter2secret");
    expect((error as { hint: string }).hint).toContain("DATABASE_URL");
  });
});

/**
 * Integration tests run on a real PostgreSQL: KAPPA_TEST_DATABASE_URL (CI sets it), else the machine's server
 * at 127.0.0.1:5432. Each test gets its own schema, dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { silentLogger } from "../../src/core/index.js";
import { openDatabase, type Database } from "../../src/knowledge/index.js";

export const TEST_DATABASE_URL = process.env.KAPPA_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export function uniqueSchema(prefix = "t"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/** Opens kappa's database in a fresh schema (migrated). Call `drop()` in afterEach/afterAll. */
export async function testDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const schema = uniqueSchema();
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, pgDir: "/nonexistent", schema, logger: silentLogger() });
  return {
    ...db,
    async drop() {
      await db.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

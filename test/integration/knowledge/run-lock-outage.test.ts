import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/core/index.js";
import { acquireRunLock, OutageGuard, type OutageState } from "../../../src/knowledge/index.js";
import { TEST_DATABASE_URL } from "../../helpers/db.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A pool, and an outage guard whose reconnection waits until the test opens `reconnect`. */
function setup(): { pool: pg.Pool; guard: OutageGuard; reconnect: () => void; states: OutageState[]; changed: (state: OutageState) => Promise<void> } {
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  pool.on("error", () => undefined);
  cleanups.push(() => pool.end());
  let open!: () => void;
  const allowed = new Promise<void>((resolve) => (open = resolve));
  const guard = new OutageGuard({
    displayUrl: "test",
    timeoutMs: 30_000,
    logger: silentLogger(),
    baseDelayMs: 1,
    probe: async () => {
      await allowed;
      await pool.query("SELECT 1");
    },
  });
  const states: OutageState[] = [];
  guard.onChange((s) => states.push(s));
  const changed = (state: OutageState): Promise<void> =>
    new Promise((resolve) => {
      if (states.includes(state)) resolve();
      else guard.onChange((s) => s === state && resolve());
    });
  return { pool, guard, reconnect: () => open(), states, changed };
}

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Terminates the backend holding run `runId`'s lock (as a database restart or an operator would). */
async function terminateLockHolder(runId: string): Promise<void> {
  const rows = await admin<{ ok: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
      WHERE locktype = 'advisory' AND classid::bigint = (hashtext('kappa-run')::bigint & 4294967295) AND objid::bigint = (hashtext($1)::bigint & 4294967295)`,
    [runId],
  );
  expect(rows).toEqual([{ ok: true }]);
}

/** Another process's connection trying to take the run lock; true once it holds it. */
async function otherProcessTakes(runId: string): Promise<{ took: boolean; client: pg.Client }> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  cleanups.push(() => client.end());
  // The terminated backend lets go of the lock as it exits: wait for that, at most 10 s.
  for (let i = 0; i < 500; i++) {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('kappa-run'), hashtext($1)) AS ok", [runId]);
    if (rows[0]?.ok) return { took: true, client };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { took: false, client };
}

describe("the run lock across a lost database connection", () => {
  it("is taken again on a new connection once the database answers, so a second orchestrator is still refused", async () => {
    const { pool, guard, reconnect, changed } = setup();
    const runId = `r${randomBytes(6).toString("hex")}`;
    const lock = await acquireRunLock(pool, runId, { connect: () => pool.connect(), guard });
    cleanups.push(() => lock.release());
    await terminateLockHolder(runId);
    await changed("down");
    reconnect();
    await guard.whenUp();
    expect(guard.current).toBe("up");
    const held = await admin<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('kappa-run'), hashtext($1)) AS ok", [runId]);
    expect(held).toEqual([{ ok: false }]);
  });

  it("makes the outage final when another process took the lock meanwhile: this process must stop", async () => {
    const { pool, guard, reconnect, changed, states } = setup();
    const runId = `r${randomBytes(6).toString("hex")}`;
    const lock = await acquireRunLock(pool, runId, { connect: () => pool.connect(), guard });
    cleanups.push(() => lock.release());
    await terminateLockHolder(runId);
    await changed("down");
    expect((await otherProcessTakes(runId)).took).toBe(true);
    reconnect();
    await expect(guard.whenUp()).rejects.toMatchObject({ code: "RUN_LOCKED" });
    expect(states).toEqual(["down", "failed"]);
  });
});

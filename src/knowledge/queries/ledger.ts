/**
 * The cost ledger: one row per session with its tokens and cost, tagged with run and task, so that cost per
 * session, task and run is a plain SUM (see src/metrics).
 */
import type pg from "pg";
import type { TokenUsage } from "../../core/index.js";

export interface LedgerEntry {
  runId: string | null;
  taskId: string | null;
  sessionId: string | null;
  account: string | null;
  model: string | null;
  usage: TokenUsage;
  costUsd: number;
}

/** Inserts one ledger row; takes a client so that it can share the session's finishing transaction. */
export async function insertLedgerRow(db: pg.Pool | pg.PoolClient, e: LedgerEntry): Promise<void> {
  await db.query(
    `INSERT INTO ledger (run_id, task_id, session_id, account, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [e.runId, e.taskId, e.sessionId, e.account, e.model, e.usage.inputTokens, e.usage.outputTokens, e.usage.cacheReadTokens, e.usage.cacheWriteTokens, e.costUsd],
  );
}

/** What a run has cost so far (every session of it, also redone work). */
export async function runCostUsd(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ cost: number }>("SELECT COALESCE(sum(cost_usd), 0)::float8 AS cost FROM ledger WHERE run_id = $1", [runId]);
  return rows[0]?.cost ?? 0;
}

/**
 * Cost summaries from the ledger: what a run, each task and each session cost, in tokens and dollars.
 * Retried attempts count: the user paid for them.
 */
import type pg from "pg";
import type { TokenUsage } from "../../core/index.js";

export interface CostSummary {
  usage: TokenUsage;
  costUsd: number;
  /** Ledger rows (≈ sessions) counted. */
  sessions: number;
}

export interface TaskCost extends CostSummary {
  taskId: string;
}

export interface SessionCost extends CostSummary {
  sessionId: string;
  taskId: string | null;
}

interface RawCost {
  input_tokens: string | null;
  output_tokens: string | null;
  cache_read_tokens: string | null;
  cache_write_tokens: string | null;
  cost_usd: string | null;
  sessions: string;
}

const SUMS = `sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,
  sum(cache_write_tokens) AS cache_write_tokens, sum(cost_usd) AS cost_usd, count(*) AS sessions`;

function toSummary(r: RawCost | undefined): CostSummary {
  return {
    usage: {
      inputTokens: Number(r?.input_tokens ?? 0),
      outputTokens: Number(r?.output_tokens ?? 0),
      cacheReadTokens: Number(r?.cache_read_tokens ?? 0),
      cacheWriteTokens: Number(r?.cache_write_tokens ?? 0),
    },
    costUsd: Number(r?.cost_usd ?? 0),
    sessions: Number(r?.sessions ?? 0),
  };
}

/** Everything a run cost so far. */
export async function costByRun(pool: pg.Pool, runId: string): Promise<CostSummary> {
  const { rows } = await pool.query<RawCost>(`SELECT ${SUMS} FROM ledger WHERE run_id = $1`, [runId]);
  return toSummary(rows[0]);
}

/** Cost per task of a run, most expensive first. */
export async function costByTask(pool: pg.Pool, runId: string): Promise<TaskCost[]> {
  const { rows } = await pool.query<RawCost & { task_id: string }>(
    `SELECT task_id, ${SUMS} FROM ledger WHERE run_id = $1 AND task_id IS NOT NULL GROUP BY task_id ORDER BY sum(cost_usd) DESC, task_id`,
    [runId],
  );
  return rows.map((r) => ({ taskId: r.task_id, ...toSummary(r) }));
}

/** Cost per session of a run, in the order they were recorded. */
export async function costBySession(pool: pg.Pool, runId: string): Promise<SessionCost[]> {
  const { rows } = await pool.query<RawCost & { session_id: string; task_id: string | null }>(
    `SELECT session_id, min(task_id) AS task_id, ${SUMS} FROM ledger WHERE run_id = $1 AND session_id IS NOT NULL GROUP BY session_id ORDER BY min(id)`,
    [runId],
  );
  return rows.map((r) => ({ sessionId: r.session_id, taskId: r.task_id, ...toSummary(r) }));
}

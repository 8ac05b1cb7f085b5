/**
 * Sessions and their events in PostgreSQL. One row per attempt (a kappa session), its events appended in
 * batches, and a ledger row when it ends, so that `kappa logs` and cost reports survive the process.
 */
import type pg from "pg";
import type { Scrubber, TokenUsage } from "../../core/index.js";
import { insertLedgerRow } from "./ledger.js";

export interface SessionStartRecord {
  /** kappa's session id (one per attempt). */
  id: string;
  runId?: string | undefined;
  taskId: string;
  /** The pool's retry number within one task attempt (1, 2, …). */
  attempt: number;
  /** The task's attempt (tasks.attempts when it started) this session belongs to. */
  taskAttempt?: number | undefined;
  driver: string;
  account: string;
  model: string;
  simulated: boolean;
}

export interface SessionEventRecord {
  seq: number;
  at: Date;
  kind: string;
  tool?: string | undefined;
  text: string;
  data?: unknown;
}

export interface SessionFinishRecord {
  status: "completed" | "failed";
  errorKind?: string | undefined;
  error?: string | undefined;
  summary: string;
  agentSessionId?: string | undefined;
  filesChanged: string[];
  turns: number;
  durationMs: number;
  usage: TokenUsage;
  costUsd: number;
}

/** Persistence used by the session pool; optional there so that unit tests run without a database. */
export interface SessionStore {
  startSession(record: SessionStartRecord): Promise<void>;
  /** Appends events (seq ascending); called with batches. */
  appendEvents(sessionId: string, events: SessionEventRecord[]): Promise<void>;
  /** Marks the session finished and writes its ledger row. */
  finishSession(sessionId: string, record: SessionFinishRecord): Promise<void>;
}

export interface SessionRow {
  id: string;
  runId: string | null;
  taskId: string | null;
  attempt: number;
  /** The task attempt this session belongs to (null for sessions recorded before attempts were tracked). */
  taskAttempt: number | null;
  driver: string;
  account: string | null;
  model: string | null;
  simulated: boolean;
  agentSessionId: string | null;
  status: string;
  errorKind: string | null;
  error: string | null;
  summary: string | null;
  filesChanged: string[];
  turns: number;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  usage: TokenUsage;
  costUsd: number;
}

export interface StoredSessionEvent {
  seq: number;
  at: Date;
  kind: string;
  tool: string | null;
  text: string;
  data: unknown;
}

/** The pg implementation of {@link SessionStore}; scrubs text again as a last line of defence. */
export class PgSessionStore implements SessionStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly scrubber: Scrubber,
  ) {}

  async startSession(r: SessionStartRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (id, run_id, task_id, attempt, task_attempt, driver, account, model, simulated, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running')`,
      [r.id, r.runId ?? null, r.taskId, r.attempt, r.taskAttempt ?? null, r.driver, r.account, r.model, r.simulated],
    );
  }

  async appendEvents(sessionId: string, events: SessionEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    await this.pool.query(
      `INSERT INTO session_events (session_id, seq, at, kind, tool, text, data)
       SELECT $1, e.seq, e.at, e.kind, e.tool, e.text, e.data
       FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) AS e(seq, at, kind, tool, text, data)
       ON CONFLICT (session_id, seq) DO NOTHING`,
      [
        sessionId,
        events.map((e) => e.seq),
        events.map((e) => e.at),
        events.map((e) => e.kind),
        events.map((e) => e.tool ?? null),
        events.map((e) => this.scrubber.text(e.text)),
        events.map((e) => (e.data === undefined ? null : JSON.stringify(this.scrubber.value(e.data)))),
      ],
    );
  }

  async finishSession(sessionId: string, r: SessionFinishRecord): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ run_id: string | null; task_id: string | null; account: string | null; model: string | null }>(
        `UPDATE sessions SET status = $2, error_kind = $3, error = $4, summary = $5, agent_session_id = $6,
           files_changed = $7, turns = $8, duration_ms = $9, finished_at = now()
         WHERE id = $1 RETURNING run_id, task_id, account, model`,
        [sessionId, r.status, r.errorKind ?? null, r.error === undefined ? null : this.scrubber.text(r.error), this.scrubber.text(r.summary), r.agentSessionId ?? null, JSON.stringify(r.filesChanged), r.turns, Math.round(r.durationMs)],
      );
      const row = rows[0];
      if (row) {
        await insertLedgerRow(client, { runId: row.run_id, taskId: row.task_id, sessionId, account: row.account, model: row.model, usage: r.usage, costUsd: r.costUsd });
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

const SESSION_COLUMNS = `s.id, s.run_id, s.task_id, s.attempt, s.task_attempt, s.driver, s.account, s.model, s.simulated, s.agent_session_id,
  s.status, s.error_kind, s.error, s.summary, s.files_changed, s.turns, s.started_at, s.finished_at, s.duration_ms,
  COALESCE(l.input_tokens, 0) AS input_tokens, COALESCE(l.output_tokens, 0) AS output_tokens,
  COALESCE(l.cache_read_tokens, 0) AS cache_read_tokens, COALESCE(l.cache_write_tokens, 0) AS cache_write_tokens,
  COALESCE(l.cost_usd, 0) AS cost_usd`;

const SESSION_FROM = `sessions s LEFT JOIN LATERAL (
  SELECT sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,
         sum(cache_write_tokens) AS cache_write_tokens, sum(cost_usd) AS cost_usd
  FROM ledger WHERE ledger.session_id = s.id) l ON true`;

interface RawSessionRow {
  id: string;
  run_id: string | null;
  task_id: string | null;
  attempt: number;
  task_attempt: number | null;
  driver: string;
  account: string | null;
  model: string | null;
  simulated: boolean;
  agent_session_id: string | null;
  status: string;
  error_kind: string | null;
  error: string | null;
  summary: string | null;
  files_changed: string[];
  turns: number;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: string | null;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_usd: string;
}

function toSessionRow(r: RawSessionRow): SessionRow {
  return {
    id: r.id,
    runId: r.run_id,
    taskId: r.task_id,
    attempt: r.attempt,
    taskAttempt: r.task_attempt,
    driver: r.driver,
    account: r.account,
    model: r.model,
    simulated: r.simulated,
    agentSessionId: r.agent_session_id,
    status: r.status,
    errorKind: r.error_kind,
    error: r.error,
    summary: r.summary,
    filesChanged: r.files_changed,
    turns: r.turns,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    usage: {
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      cacheReadTokens: Number(r.cache_read_tokens),
      cacheWriteTokens: Number(r.cache_write_tokens),
    },
    costUsd: Number(r.cost_usd),
  };
}

/** A session by its full id or an unambiguous prefix (at least 4 characters); undefined when none or ambiguous. */
export async function findSession(pool: pg.Pool, idOrPrefix: string): Promise<SessionRow | undefined> {
  const exact = await pool.query<RawSessionRow>(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE s.id = $1`, [idOrPrefix]);
  if (exact.rows[0]) return toSessionRow(exact.rows[0]);
  if (idOrPrefix.length < 4) return undefined;
  const like = `${idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await pool.query<RawSessionRow>(`SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE s.id LIKE $1 LIMIT 2`, [like]);
  return rows.length === 1 && rows[0] ? toSessionRow(rows[0]) : undefined;
}

/** Every attempt of a task in a run, oldest first. */
export async function sessionsForTask(pool: pg.Pool, runId: string, taskId: string): Promise<SessionRow[]> {
  const { rows } = await pool.query<RawSessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} WHERE s.run_id = $1 AND s.task_id = $2 ORDER BY s.started_at, s.attempt`,
    [runId, taskId],
  );
  return rows.map(toSessionRow);
}

/** A session's events after `afterSeq` (exclusive), in order; `limit` bounds one page. */
export async function listSessionEvents(pool: pg.Pool, sessionId: string, afterSeq = 0, limit = 1000): Promise<StoredSessionEvent[]> {
  const { rows } = await pool.query<StoredSessionEvent>(
    `SELECT seq, at, kind, tool, text, data FROM session_events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [sessionId, afterSeq, limit],
  );
  return rows;
}

/** Sessions of a run still marked running after its orchestrator died: they will never finish. */
export async function markInterruptedSessions(pool: pg.Pool, runId: string): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE sessions SET status = 'failed', error_kind = 'aborted', error = 'interrupted: the orchestrator stopped',
       finished_at = now() WHERE run_id = $1 AND status = 'running'`,
    [runId],
  );
  return rowCount ?? 0;
}

/**
 * The agent's own session id of the task's latest session in a run, as its init event recorded it (the
 * session row only gets it when the session finishes, which an interrupted one never does).
 */
export async function lastAgentSessionId(pool: pg.Pool, runId: string, taskId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string | null }>(
    `SELECT e.data->>'sessionId' AS id FROM session_events e JOIN sessions s ON s.id = e.session_id
      WHERE s.run_id = $1 AND s.task_id = $2 AND e.kind = 'system' AND e.data ? 'sessionId'
      ORDER BY s.started_at DESC, e.seq DESC LIMIT 1`,
    [runId, taskId],
  );
  return rows[0]?.id ?? undefined;
}

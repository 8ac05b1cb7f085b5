/**
 * The review queue (`conflicts`) and precedent memory (`merge_precedents`). A conflict row is the durable
 * hand-off between the pipeline (which waits) and a person (who resolves, maybe from another process, maybe
 * after a restart).
 */
import type pg from "pg";

export type ConflictStatus = "open" | "resolved" | "applied";

export interface ConflictResolution {
  kind: "ours" | "theirs" | "file";
  /** Resolved content per repository path; null deletes the file. */
  files: Record<string, string | null>;
}

export interface ConflictRow {
  id: number;
  runId: string;
  taskId: string;
  status: ConflictStatus;
  files: string[];
  baseCommit: string | null;
  oursCommit: string | null;
  theirsCommit: string | null;
  /** Per-file sides and the merge context, as the conflict module wrote them. */
  detail: Record<string, unknown>;
  shapeHash: string | null;
  strategy: string | null;
  resolution: ConflictResolution | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface NewConflict {
  runId: string;
  taskId: string;
  files: string[];
  baseCommit?: string | undefined;
  oursCommit?: string | undefined;
  theirsCommit?: string | undefined;
  detail: Record<string, unknown>;
  shapeHash?: string | undefined;
}

interface RawConflict {
  id: string;
  run_id: string;
  task_id: string;
  status: ConflictStatus;
  files: string[];
  base_commit: string | null;
  ours_commit: string | null;
  theirs_commit: string | null;
  detail: Record<string, unknown>;
  shape_hash: string | null;
  strategy: string | null;
  resolution: ConflictResolution | null;
  created_at: Date;
  resolved_at: Date | null;
}

const COLUMNS = "c.id, c.run_id, c.task_id, c.status, c.files, c.base_commit, c.ours_commit, c.theirs_commit, c.detail, c.shape_hash, c.strategy, c.resolution, c.created_at, c.resolved_at";

function toRow(r: RawConflict): ConflictRow {
  return {
    id: Number(r.id),
    runId: r.run_id,
    taskId: r.task_id,
    status: r.status,
    files: r.files,
    baseCommit: r.base_commit,
    oursCommit: r.ours_commit,
    theirsCommit: r.theirs_commit,
    detail: r.detail,
    shapeHash: r.shape_hash,
    strategy: r.strategy,
    resolution: r.resolution,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}

export async function insertConflict(pool: pg.Pool, conflict: NewConflict): Promise<ConflictRow> {
  const { rows } = await pool.query<RawConflict>(
    `INSERT INTO conflicts AS c (run_id, task_id, files, base_commit, ours_commit, theirs_commit, detail, shape_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [conflict.runId, conflict.taskId, JSON.stringify(conflict.files), conflict.baseCommit ?? null, conflict.oursCommit ?? null, conflict.theirsCommit ?? null, JSON.stringify(conflict.detail), conflict.shapeHash ?? null],
  );
  return toRow(rows[0] as RawConflict);
}

export interface ListConflictsFilter {
  runId?: string | undefined;
  /** Only conflicts of runs of the project at this root. */
  projectRoot?: string | undefined;
  status?: ConflictStatus | undefined;
}

export async function listConflicts(pool: pg.Pool, filter: ListConflictsFilter = {}): Promise<ConflictRow[]> {
  const { rows } = await pool.query<RawConflict>(
    `SELECT ${COLUMNS} FROM conflicts c
       JOIN runs r ON r.id = c.run_id
       JOIN projects p ON p.id = r.project_id
      WHERE ($1::text IS NULL OR c.run_id = $1)
        AND ($2::text IS NULL OR p.root = $2)
        AND ($3::text IS NULL OR c.status = $3)
      ORDER BY c.created_at, c.id`,
    [filter.runId ?? null, filter.projectRoot ?? null, filter.status ?? null],
  );
  return rows.map(toRow);
}

export async function getConflict(pool: pg.Pool, id: number): Promise<ConflictRow | undefined> {
  const { rows } = await pool.query<RawConflict>(`SELECT ${COLUMNS} FROM conflicts c WHERE c.id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

export type ResolveConflictResult = { ok: true; conflict: ConflictRow } | { ok: false; reason: "not_found" | "not_open"; status?: ConflictStatus };

/** Stores a person's resolution; only an open conflict can be resolved (two people cannot both win). */
export async function resolveConflict(pool: pg.Pool, id: number, resolution: ConflictResolution): Promise<ResolveConflictResult> {
  const { rows } = await pool.query<RawConflict>(
    `UPDATE conflicts AS c SET status = 'resolved', resolution = $2, strategy = 'manual:' || $3, resolved_at = now()
      WHERE c.id = $1 AND c.status = 'open' RETURNING ${COLUMNS}`,
    [id, JSON.stringify(resolution), resolution.kind],
  );
  if (rows[0]) return { ok: true, conflict: toRow(rows[0]) };
  const existing = await getConflict(pool, id);
  return existing ? { ok: false, reason: "not_open", status: existing.status } : { ok: false, reason: "not_found" };
}

/** Marks a resolved conflict as merged (the pipeline applied it). */
export async function markConflictApplied(pool: pg.Pool, id: number): Promise<void> {
  await pool.query("UPDATE conflicts SET status = 'applied' WHERE id = $1 AND status = 'resolved'", [id]);
}

/** Reopens a resolved conflict whose resolution no longer applies, with fresh detail. */
export async function reopenConflict(pool: pg.Pool, id: number, files: string[], detail: Record<string, unknown>, oursCommit: string): Promise<void> {
  await pool.query(
    "UPDATE conflicts SET status = 'open', resolution = NULL, strategy = NULL, resolved_at = NULL, files = $2, detail = $3, ours_commit = $4 WHERE id = $1",
    [id, JSON.stringify(files), JSON.stringify(detail), oursCommit],
  );
}

/** Conflicts of a run that are not merged yet (open or resolved-but-not-applied): the pipeline's waiting tasks. */
export async function openConflictsForRun(pool: pg.Pool, runId: string): Promise<ConflictRow[]> {
  const { rows } = await pool.query<RawConflict>(`SELECT ${COLUMNS} FROM conflicts c WHERE c.run_id = $1 AND c.status IN ('open', 'resolved') ORDER BY c.id`, [runId]);
  return rows.map(toRow);
}

export interface PrecedentRow {
  shapeHash: string;
  strategy: string;
  resolution: unknown;
  uses: number;
}

export async function findPrecedent(pool: pg.Pool, shapeHash: string): Promise<PrecedentRow | undefined> {
  const { rows } = await pool.query<{ shape_hash: string; strategy: string; resolution: unknown; uses: number }>(
    "SELECT shape_hash, strategy, resolution, uses FROM merge_precedents WHERE shape_hash = $1",
    [shapeHash],
  );
  const r = rows[0];
  return r ? { shapeHash: r.shape_hash, strategy: r.strategy, resolution: r.resolution, uses: r.uses } : undefined;
}

/** The latest resolution of a shape wins. */
export async function savePrecedent(pool: pg.Pool, shapeHash: string, strategy: string, resolution: unknown): Promise<void> {
  await pool.query(
    `INSERT INTO merge_precedents (shape_hash, strategy, resolution) VALUES ($1, $2, $3)
     ON CONFLICT (shape_hash) DO UPDATE SET strategy = EXCLUDED.strategy, resolution = EXCLUDED.resolution`,
    [shapeHash, strategy, JSON.stringify(resolution)],
  );
}

export async function recordPrecedentUse(pool: pg.Pool, shapeHash: string): Promise<void> {
  await pool.query("UPDATE merge_precedents SET uses = uses + 1 WHERE shape_hash = $1", [shapeHash]);
}

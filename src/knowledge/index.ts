export { openDatabase, redactUrl, serverVersion } from "./db.js";
export type { Database, OpenDatabaseOptions } from "./db.js";
export { migrate, loadMigrations } from "./migrate.js";
export type { Migration } from "./migrate.js";
export { startEmbedded, liveServerPort } from "./embedded.js";
export { currentDataDir, SHARED_CLUSTER_ROOT } from "./cluster-location.js";
export type { EmbeddedServer } from "./embedded.js";
export { ensureProject, projectIdFor } from "./queries/projects.js";
export type { ProjectRow } from "./queries/projects.js";
export * from "./queries/runs.js";
export * from "./queries/tasks.js";
export * from "./queries/task-transitions.js";
export { acquireRunLock } from "./queries/run-lock.js";
export { withSetupLock } from "./queries/setup-lock.js";
export type { RunLock, RunLockOutage } from "./queries/run-lock.js";
export { DatabaseOutageError, isConnectionError, OutageGuard } from "./outage.js";
export type { OutageState } from "./outage.js";
export { PgSessionStore, findSession, sessionsForTask, listSessionEvents, markInterruptedSessions, lastAgentSessionId } from "./queries/sessions.js";
export type { SessionStore, SessionStartRecord, SessionEventRecord, SessionFinishRecord, SessionRow, StoredSessionEvent } from "./queries/sessions.js";
export { insertLedgerRow, runCostUsd } from "./queries/ledger.js";
export type { LedgerEntry } from "./queries/ledger.js";
export { costByRun, costByTask, costBySession } from "./queries/ledger-costs.js";
export type { CostSummary, TaskCost, SessionCost } from "./queries/ledger-costs.js";
export { activeRunIds, isRunAlive, RUN_ALIVE_SECONDS } from "./queries/run-activity.js";
export {
  insertConflict,
  listConflicts,
  getConflict,
  resolveConflict,
  markConflictApplied,
  reopenConflict,
  openConflictsForRun,
  findPrecedent,
  savePrecedent,
  recordPrecedentUse,
} from "./queries/conflicts.js";
export type {
  ConflictRow,
  ConflictStatus,
  ConflictResolution,
  NewConflict,
  ListConflictsFilter,
  ResolveConflictResult,
  PrecedentRow,
} from "./queries/conflicts.js";

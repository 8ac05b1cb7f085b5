/**
 * The one place a run starts or resumes, for `kappa run`, `kappa resume`, the benchmarks and tests: takes the
 * run's lock, reads the run row once (the only judge of "already finished"), builds the run's context and
 * services, follows the run with the conflict predictor, points out worktrees earlier runs left behind, and
 * drives the graph.
 */
import type { EventBus, KappaConfig, Logger } from "../core/index.js";
import { InputError, NotFoundError } from "../core/index.js";
import { ConflictPredictor } from "../conflict/index.js";
import { acquireRunLock, activeRunIds, getRun, type Database, type RunRow } from "../knowledge/index.js";
import { findLeftovers } from "../workspace/index.js";
import type { NodeServices } from "./nodes.js";
import { driveRun, type DriveResult } from "./orchestrator.js";
import { runContext } from "./run-context.js";
import { createRunServices, type RunServicesSetup } from "./run-services.js";

export interface StartRunOptions extends RunServicesSetup {
  db: Database;
  config: KappaConfig;
  logger: Logger;
  /** The repository's root. */
  repo: string;
  runId: string;
  /** Heartbeat and cancel polling interval. @default 2000 */
  heartbeatMs?: number | undefined;
  /** Wraps the services before the run is driven (the benchmark's profile times the ports this way). */
  instrument?: ((services: NodeServices) => NodeServices) | undefined;
}

const FINISHED: ReadonlySet<RunRow["status"]> = new Set(["completed", "partial", "failed"]);

export async function startRun(options: StartRunOptions): Promise<DriveResult> {
  const { db, runId, bus } = options;
  const lock = await acquireRunLock(db.pool, runId, { connect: () => db.connectDirect(), guard: db.outage });
  try {
    // Read under the lock: no other process can finish the run between this read and the drive.
    const run = await getRun(db.pool, runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`, { hint: "list runs with `kappa status`" });
    if (FINISHED.has(run.status)) {
      throw new InputError(`run ${run.id} has already finished (${run.status})`, { hint: `see \`kappa status ${run.id}\`; start a new run with \`kappa run\`` });
    }
    const ctx = runContext({ run, repo: options.repo, config: options.config, pool: db.pool, logger: options.logger });
    const built = createRunServices(ctx, options);
    const services = options.instrument ? options.instrument(built) : built;
    await reportLeftovers(db, options.repo, run.id, bus);
    const predictor = new ConflictPredictor(bus, run.id).attach();
    try {
      return await driveRun({ db, services, heartbeatMs: options.heartbeatMs });
    } finally {
      predictor.detach();
    }
  } finally {
    await lock.release();
  }
}

/** Worktrees and branches that crashed runs left behind: kept, and pointed out once. */
async function reportLeftovers(db: Database, repo: string, runId: string, bus: EventBus): Promise<void> {
  const active = await activeRunIds(db.pool, repo);
  active.add(runId);
  const leftovers = (await findLeftovers({ repo, activeRunIds: active })).filter((l) => l.kind === "worktree" || l.kind === "directory");
  for (const l of leftovers) bus.emit("workspace:leftover", { path: l.path, reason: l.reason });
  if (leftovers.length > 0) {
    const dirty = leftovers.filter((l) => l.dirty).length;
    bus.emit("plan:warning", {
      runId,
      message: `${leftovers.length} worktree(s) left by earlier runs${dirty > 0 ? `, ${dirty} with uncommitted changes` : ""}; \`kappa clean --dry-run\` lists them, \`kappa clean\` removes what is safe`,
    });
  }
}

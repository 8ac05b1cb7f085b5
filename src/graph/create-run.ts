/** Records a new run (its project, plan and options) so that start-run.ts can drive it and `kappa resume` continue it. */
import { basename } from "node:path";
import type { Plan } from "../core/index.js";
import { ensureProject, getRun, insertRun, type Database, type RunOptions, type RunRow } from "../knowledge/index.js";
import { ensureKappaIgnored } from "../workspace/index.js";

export interface CreateRunOptions {
  db: Database;
  /** The repository's root. */
  repo: string;
  runId: string;
  specPath?: string | undefined;
  /** Validated already (resolvePlan): nothing is written for a bad plan. */
  plan: Plan;
  options: RunOptions;
}

export async function createRun(o: CreateRunOptions): Promise<RunRow> {
  await ensureKappaIgnored(o.repo);
  const project = await ensureProject(o.db.pool, o.repo, basename(o.repo) || "project");
  await insertRun(o.db.pool, { id: o.runId, projectId: project.id, specPath: o.specPath, plan: o.plan, options: o.options });
  const run = await getRun(o.db.pool, o.runId);
  if (!run) throw new Error(`run ${o.runId} was not stored`);
  return run;
}

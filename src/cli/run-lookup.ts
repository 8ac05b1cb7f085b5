/** Finds a run by (a prefix of) its id, or the project's latest. */
import { NotFoundError, UsageError } from "../core/index.js";
import { findRunsByPrefix, latestRun, projectIdFor, type Database, type RunRow } from "../knowledge/index.js";
import { findRepoRoot } from "../workspace/index.js";

export async function lookupRun(db: Database, projectRoot: string, idOrPrefix: string | undefined): Promise<RunRow> {
  const root = await findRepoRoot(projectRoot);
  const projectId = projectIdFor(root);
  if (!idOrPrefix) {
    const run = await latestRun(db.pool, projectId);
    if (!run) throw new NotFoundError("this project has no runs yet", { hint: "start one with `kappa run --spec SPEC.md` (add --simulate to try it offline)" });
    return run;
  }
  if (!/^[A-Za-z0-9-]{1,64}$/.test(idOrPrefix)) throw new UsageError(`"${idOrPrefix}" is not a run id`, { hint: "run ids look like 20261125-a1b2c3; see `kappa status`" });
  const runs = await findRunsByPrefix(db.pool, projectId, idOrPrefix);
  const exact = runs.find((r) => r.id === idOrPrefix);
  if (exact) return exact;
  if (runs.length === 0) throw new NotFoundError(`no run ${idOrPrefix} in this project`, { hint: "list runs with `kappa status --all`" });
  if (runs.length > 1) throw new UsageError(`"${idOrPrefix}" matches several runs: ${runs.map((r) => r.id).join(", ")}`, { hint: "type more of the id" });
  return runs[0] as RunRow;
}

/** A new run id: sortable by date, short to type, safe as a git ref component. */
export function newRunId(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, "");
  const rand = Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, "0");
  return `${date}-${rand}`;
}

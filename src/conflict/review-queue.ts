/** Putting a conflict outcome into the review queue, in the shape applyResolution reads back. */
import type pg from "pg";
import { insertConflict, type ConflictRow } from "../knowledge/index.js";
import type { MergeOutcome, MergeTaskContext } from "./types.js";

export async function queueConflict(pool: pg.Pool, outcome: Extract<MergeOutcome, { status: "conflict" }>, context: MergeTaskContext, message: string): Promise<ConflictRow> {
  return insertConflict(pool, {
    runId: context.runId,
    taskId: context.taskId,
    files: outcome.files,
    baseCommit: outcome.mergeBase || undefined,
    oursCommit: outcome.ours,
    theirsCommit: outcome.theirs,
    detail: { conflicts: outcome.conflicts, context, message, resolved: outcome.resolved },
  });
}

/**
 * Applies a resolution from the review queue: the task head is merged again into the current integration
 * head, with the stored content for each conflicted file — but only while each file's three versions are the
 * ones the person resolved; if the integration branch changed them since, the outcome is a conflict again.
 */
import { KappaError, type StrategyRule } from "../core/index.js";
import type { PathOverride } from "./compute-merge.js";
import { mergeIntoBranch } from "./merge-into-branch.js";
import { mergeTextRegions } from "./diff3.js";
import { extractPrecedent, shapeHash } from "./shape.js";
import type { ConflictDetail, MergeOutcome, MergeTaskContext, PrecedentStore } from "./types.js";

/** What the review queue stores for a conflict (see knowledge/queries/conflicts.ts). */
export interface StoredConflict {
  id: number;
  runId: string;
  taskId: string;
  theirsCommit: string | null;
  /** As queueConflict wrote it: { conflicts, context, message }. A ConflictRow from the queue fits as is. */
  detail: Record<string, unknown>;
  resolution: { kind: "ours" | "theirs" | "file"; files: Record<string, string | null> } | null;
}

interface StoredDetail {
  conflicts?: ConflictDetail[];
  context?: MergeTaskContext;
  message?: string;
}

export interface ApplyResolutionOptions {
  repo: string;
  branch: string;
  conflict: StoredConflict;
  rules?: readonly StrategyRule[];
  precedents?: PrecedentStore | undefined;
  signal: AbortSignal;
}

export async function applyResolution(options: ApplyResolutionOptions): Promise<MergeOutcome> {
  const { conflict } = options;
  const detail = conflict.detail as StoredDetail;
  const resolution = conflict.resolution;
  if (!resolution) {
    throw new KappaError("CONFLICT", `conflict ${conflict.id} has no resolution yet`, { hint: `resolve it with \`kappa resolve --conflict ${conflict.id} --ours|--theirs|--file <path>|--edit\`` });
  }
  if (!conflict.theirsCommit) {
    throw new KappaError("CONFLICT", `conflict ${conflict.id} does not record the task's commit`, { hint: "re-run the task; its conflict row is incomplete" });
  }
  const overrides = new Map<string, PathOverride>();
  for (const c of detail.conflicts ?? []) {
    const stored = resolution.files[c.path];
    const side = resolution.kind === "file" ? undefined : resolution.kind;
    overrides.set(c.path, {
      expect: { base: c.baseOid, ours: c.oursOid, theirs: c.theirsOid },
      content: stored,
      side: stored === undefined ? side : undefined,
    });
  }
  const context = detail.context ?? { runId: conflict.runId, taskId: conflict.taskId, taskTitle: conflict.taskId, finishedAt: { ours: 0, theirs: 0 } };
  const outcome = await mergeIntoBranch({
    repo: options.repo,
    branch: options.branch,
    theirs: conflict.theirsCommit,
    message: detail.message ?? `Merge task ${conflict.taskId} (resolved conflict ${conflict.id})`,
    rules: options.rules ?? [],
    context,
    precedents: options.precedents,
    overrides,
    signal: options.signal,
  });
  if (outcome.status === "merged" && options.precedents) await rememberResolutions(options.precedents, detail.conflicts ?? [], resolution.files);
  return outcome;
}

/** Records each file's resolution as a precedent for its conflict shape (when it can be told apart exactly). */
export async function rememberResolutions(store: PrecedentStore, conflicts: readonly ConflictDetail[], files: Record<string, string | null>): Promise<number> {
  let recorded = 0;
  for (const c of conflicts) {
    const resolved = files[c.path];
    if (resolved === undefined || resolved === null || c.ours === undefined || c.theirs === undefined) continue;
    const shape = shapeHash(mergeTextRegions(c.base ?? "", c.ours, c.theirs));
    const precedent = shape ? extractPrecedent(c.base ?? "", c.ours, c.theirs, resolved) : undefined;
    if (!shape || !precedent) continue;
    await store.record(shape, "manual", precedent);
    recorded++;
  }
  return recorded;
}

/**
 * The pipeline's merge ports: merging a task into the integration branch with the strategy chain, queueing
 * what it cannot resolve for review, applying resolutions, and the verification gate. The branch's state lives
 * in the run context's IntegrationBranch.
 */
import { printable } from "../core/index.js";
import { getConflict, lastMergedFinishedAt, listConflicts, markConflictApplied } from "../knowledge/index.js";
import { applyResolution, BranchMovedError, changedFiles, mergeIntoBranch, PgPrecedentStore, queueConflict, runGate, type AgentResolver, type MergeOutcome, type MergeTaskContext } from "../conflict/index.js";
import type { MergeResult, RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";

type MergePorts = Pick<RunPorts, "integrationHead" | "merge" | "mergedFiles" | "resolvedConflicts" | "applyResolution" | "gate" | "revertIntegration">;

export function mergePorts(ctx: RunContext, agent: AgentResolver | undefined): MergePorts {
  const { repo, runId, config, pool, branch } = ctx;
  const precedents = new PgPrecedentStore(pool);

  const toMergeResult = async (outcome: MergeOutcome, context: MergeTaskContext, message: string): Promise<MergeResult> => {
    if (outcome.status === "merged") return { status: "merged", commit: outcome.commit, previousHead: outcome.previous, strategy: outcome.strategy };
    const row = await queueConflict(pool, outcome, context, message);
    return { status: "conflict", files: outcome.files, conflictId: String(row.id) };
  };

  return {
    integrationHead: (signal) => branch.head(signal),

    async merge(task, { head: theirs, finishedAt, afterCrash }, signal) {
      if (afterCrash) {
        const earlier = await branch.findMerge(theirs, signal);
        if (earlier) return earlier;
      }
      // The integration side is the work of the tasks merged so far: it is as new as the last of them.
      const ours = await branch.newestWorkAt(() => lastMergedFinishedAt(pool, runId));
      const context: MergeTaskContext = { runId, taskId: task.id, taskTitle: task.title, attempt: task.attempts, finishedAt: { ours, theirs: finishedAt } };
      const message = `kappa: merge ${task.id} — ${printable(task.title, { oneLine: true })}`;
      // Only ever on top of the head kappa recorded: the compare-and-swap refuses a branch moved meanwhile
      // (BranchMovedError), which is then put back, never adopted, and the merge made again.
      await branch.head(signal);
      const mergeOnce = () =>
        mergeIntoBranch({ repo, branch: branch.name, theirs, message, rules: config.conflictStrategies, versionConflict: config.versionConflict, context, precedents, agent, expectedHead: branch.expectedHead, ownsBranch: true, signal });
      const outcome = await mergeOnce().catch(async (error: unknown) => {
        if (!(error instanceof BranchMovedError)) throw error;
        await branch.guard(signal);
        return mergeOnce();
      });
      if (outcome.status === "merged") branch.merged(outcome.commit, finishedAt);
      return toMergeResult(outcome, context, message);
    },

    mergedFiles(from, to, signal) {
      return changedFiles(repo, from, to, signal);
    },

    async resolvedConflicts() {
      const rows = await listConflicts(pool, { runId, status: "resolved" });
      return rows.map((c) => ({ conflictId: String(c.id), taskId: c.taskId }));
    },

    async applyResolution(conflictId, signal) {
      const conflict = await getConflict(pool, Number(conflictId));
      if (!conflict) throw new Error(`conflict ${conflictId} not found`);
      await branch.head(signal);
      await branch.guard(signal);
      const outcome = await applyResolution({ repo, branch: branch.name, conflict, rules: config.conflictStrategies, precedents, signal });
      await markConflictApplied(pool, conflict.id);
      if (outcome.status === "merged") branch.moved(outcome.commit);
      const context: MergeTaskContext = { runId, taskId: conflict.taskId, taskTitle: conflict.taskId, finishedAt: { ours: 0, theirs: 0 } };
      return toMergeResult(outcome, context, `kappa: merge ${conflict.taskId} (resolved conflict ${conflict.id})`);
    },

    async gate(commit, signal) {
      if (!config.testCommand) return undefined;
      return runGate({ repo, commit, command: config.testCommand, timeoutMs: ctx.limits.testTimeoutMs, signal });
    },

    revertIntegration: (to, from, signal) => branch.revert(to, from, signal),
  };
}

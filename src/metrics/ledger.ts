/**
 * Cost figures for reports. The ledger's queries live in knowledge/queries/ledger-costs.ts (all SQL is there);
 * metrics re-exports them as its public surface.
 */
import type { TokenUsage } from "../core/index.js";

export { costByRun, costByTask, costBySession } from "../knowledge/index.js";
export type { CostSummary, TaskCost, SessionCost } from "../knowledge/index.js";

/** Total tokens of a usage record, for one-number displays. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

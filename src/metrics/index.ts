export { formatCost, formatTokens } from "./format.js";
export { costByRun, costByTask, costBySession, totalTokens } from "./ledger.js";
export type { CostSummary, TaskCost, SessionCost } from "./ledger.js";

/**
 * The graph's state: ids and statuses only. Everything bulky (plan, tasks, sessions, conflicts) lives in
 * kappa's own tables, so every checkpoint stays a few hundred bytes however large the run.
 */
import { Annotation } from "@langchain/langgraph";

export type ExecuteOutcome = "done" | "waiting" | "resumed";

export const RunStateAnnotation = Annotation.Root({
  runId: Annotation<string>,
  /** Last finished phase: initialized, decomposed, executed, resolved, finalized. */
  phase: Annotation<string>,
  outcome: Annotation<ExecuteOutcome | undefined>,
  status: Annotation<string | undefined>,
});

export type RunState = typeof RunStateAnnotation.State;

/**
 * The pipeline as a LangGraph StateGraph: initialize → decompose → execute → resolve → (execute | finalize).
 * `resolve` pauses the thread with `interrupt()` while conflicts wait for a human; `kappa resume` answers it.
 */
import { END, START, StateGraph, interrupt, type BaseCheckpointSaver } from "@langchain/langgraph";
import { RunStateAnnotation, type RunState } from "./state.js";

export interface PipelineNodes {
  initialize(state: RunState): Promise<Partial<RunState>>;
  decompose(state: RunState): Promise<Partial<RunState>>;
  execute(state: RunState): Promise<Partial<RunState>>;
  /** Returns the open conflicts' ids; empty means nothing to wait for. */
  openConflicts(state: RunState): Promise<string[]>;
  finalize(state: RunState): Promise<Partial<RunState>>;
}

export function buildPipeline(nodes: PipelineNodes, checkpointer?: BaseCheckpointSaver) {
  const graph = new StateGraph(RunStateAnnotation)
    .addNode("initialize", (s) => nodes.initialize(s))
    .addNode("decompose", (s) => nodes.decompose(s))
    .addNode("execute", (s) => nodes.execute(s))
    .addNode("resolve", async (s) => {
      if (s.outcome !== "waiting") return { phase: "resolved" };
      const open = await nodes.openConflicts(s);
      // Pause until a human resolves; `kappa resume` answers and the resolutions are applied by `execute`.
      if (open.length > 0) interrupt({ runId: s.runId, waitingFor: open });
      return { phase: "resolved", outcome: "resumed" as const };
    })
    .addNode("finalize", (s) => nodes.finalize(s))
    .addEdge(START, "initialize")
    .addEdge("initialize", "decompose")
    .addEdge("decompose", "execute")
    .addEdge("execute", "resolve")
    .addConditionalEdges("resolve", (s) => (s.outcome === "resumed" ? "execute" : "finalize"), ["execute", "finalize"])
    .addEdge("finalize", END);
  return graph.compile({ checkpointer });
}

/** Mermaid for the pipeline itself (no checkpointer needed). */
export function pipelineMermaid(): string {
  const noop = () => Promise.resolve({});
  const app = buildPipeline({ initialize: noop, decompose: noop, execute: noop, openConflicts: () => Promise.resolve([]), finalize: noop });
  return app.getGraph().drawMermaid();
}

/** Shared shapes of the conflict module: what a merge returns, what the pipeline injects. */
import type { StrategyRule } from "../core/index.js";

/** A strategy's answer for one file: content (null = the file is deleted), or a refusal with a reason. */
export type StrategyAttempt =
  | { ok: true; content: string | null; detail?: string; /** Take this side's blob as is (binary files). */ side?: "ours" | "theirs" }
  | { ok: false; reason: string };

/** The three versions of one file; `undefined` = absent on that side (added, deleted). */
export interface FileVersions {
  path: string;
  base: string | undefined;
  ours: string | undefined;
  theirs: string | undefined;
}

/** One file that no strategy could resolve: both sides, for the review queue. */
export interface ConflictDetail {
  path: string;
  /** Blob ids; absent when the file does not exist on that side. */
  baseOid?: string | undefined;
  oursOid?: string | undefined;
  theirsOid?: string | undefined;
  /** Text contents (absent for binary or very large files, or when absent on that side). */
  base?: string | undefined;
  ours?: string | undefined;
  theirs?: string | undefined;
  /** git's conflict type, e.g. "contents", "modify/delete". */
  kind: string;
  /** What each strategy of the chain said, in order. */
  tried: { strategy: string; reason: string }[];
}

export type MergeOutcome =
  | {
      status: "merged";
      commit: string;
      /** The branch's head before this merge (where a revert goes back to). */
      previous: string;
      /** "merge" when git's merge was clean, else the strategies used, e.g. "structured" or "structured+newer". */
      strategy: string;
      /** Strategy per file that needed one ("merge" for a clean git merge of a file changed on both sides). */
      strategies: Record<string, string>;
    }
  | {
      status: "conflict";
      files: string[];
      conflicts: ConflictDetail[];
      /** The commits involved, for the review queue row. */
      mergeBase: string;
      ours: string;
      theirs: string;
      /** Files that the chain did resolve (kept so that a later resolution needs only the rest). */
      resolved: Record<string, string>;
    };

export interface MergeTaskContext {
  runId: string;
  taskId: string;
  taskTitle: string;
  /** The task attempt whose work is merged (a `Kappa-Attempt` trailer on the merge commit). */
  attempt?: number | undefined;
  /** Other tasks whose work is on the integration branch (for the agent's prompt). */
  otherTasks?: { taskId: string; title: string; prompt?: string }[];
  /** When each side's work finished (epoch ms); the newer strategy takes the later one. */
  finishedAt: { ours: number; theirs: number };
}

/** Resolves one file; the lead wires it to a Claude session. Its result still has to pass the gate. */
export type AgentResolver = (input: {
  repo: string;
  path: string;
  base: string | undefined;
  ours: string | undefined;
  theirs: string | undefined;
  context: MergeTaskContext;
  signal: AbortSignal;
}) => Promise<{ content: string } | undefined>;

/** A stored resolution of a conflict shape: the resolved lines of each conflict region, in order. */
export interface PrecedentResolution {
  regions: string[][];
}

/** Memory of resolved conflict shapes (PostgreSQL `merge_precedents` in production). */
export interface PrecedentStore {
  lookup(shapeHash: string): Promise<{ strategy: string; resolution: PrecedentResolution } | undefined>;
  record(shapeHash: string, strategy: string, resolution: PrecedentResolution): Promise<void>;
  recordUse(shapeHash: string): Promise<void>;
}

export type { StrategyRule };

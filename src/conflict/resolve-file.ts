/**
 * Runs one file's strategy chain: the precedent first, then the configured strategies in order. A strategy that
 * is unsure refuses and the chain moves on; `manual` (or the end of the chain) leaves the file to a person.
 */
import type { StrategyName } from "../core/index.js";
import { hasConflictMarkers, mergeTextRegions } from "./diff3.js";
import { refuseMergedText } from "./result-checks.js";
import { applyPrecedent, shapeHash } from "./shape.js";
import { newerMerge } from "./strategies/newer.js";
import { structuredMerge, type StructuredContext } from "./strategies/structured.js";
import type { AgentResolver, FileVersions, MergeTaskContext, PrecedentStore, StrategyAttempt } from "./types.js";

export interface FileResolveOptions {
  chain: readonly StrategyName[];
  /** A side is binary (or not valid text): text strategies refuse. */
  binary: boolean;
  /** The text merge for the `merge` strategy; absent = git already found the file conflicting. */
  textMerge?: (file: FileVersions) => Promise<StrategyAttempt>;
  structured?: StructuredContext;
  finishedAt?: { ours: number; theirs: number };
  agent?: AgentResolver | undefined;
  precedents?: PrecedentStore | undefined;
  repo?: string;
  context?: MergeTaskContext;
  signal: AbortSignal;
}

export type FileResolution =
  | { ok: true; strategy: string; content: string | null; side?: "ours" | "theirs"; shapeHash?: string | undefined }
  | { ok: false; tried: { strategy: string; reason: string }[]; shapeHash?: string | undefined };

export async function resolveFile(file: FileVersions, options: FileResolveOptions): Promise<FileResolution> {
  const tried: { strategy: string; reason: string }[] = [];
  const textual = !options.binary && file.ours !== undefined && file.theirs !== undefined;
  const shape = textual ? shapeHash(mergeTextRegions(file.base ?? "", file.ours ?? "", file.theirs ?? "")) : undefined;
  if (shape && options.precedents) {
    const precedent = await options.precedents.lookup(shape);
    const content = precedent ? applyPrecedent(mergeTextRegions(file.base ?? "", file.ours ?? "", file.theirs ?? ""), precedent.resolution) : undefined;
    if (content !== undefined) {
      await options.precedents.recordUse(shape);
      return { ok: true, strategy: "precedent", content, shapeHash: shape };
    }
  }
  for (const strategy of options.chain) {
    const attempt = await runStrategy(strategy, file, textual, options);
    if (attempt.ok) return { ok: true, strategy, content: attempt.content, side: attempt.side, shapeHash: shape };
    tried.push({ strategy, reason: attempt.reason });
    if (strategy === "manual") break;
  }
  return { ok: false, tried, shapeHash: shape };
}

async function runStrategy(strategy: StrategyName, file: FileVersions, textual: boolean, options: FileResolveOptions): Promise<StrategyAttempt> {
  switch (strategy) {
    case "merge":
      if (!options.textMerge || !textual) return { ok: false, reason: "git's three-way merge conflicts" };
      return options.textMerge(file);
    case "structured":
      if (options.binary) return { ok: false, reason: "not a text file" };
      return structuredMerge(file, {
        ...options.structured,
        signal: options.signal,
        insertionOrder: options.finishedAt ? (options.finishedAt.ours <= options.finishedAt.theirs ? "ours-first" : "theirs-first") : undefined,
      });
    case "newer":
      if (!options.finishedAt) return { ok: false, reason: "finish times unknown" };
      return newerMerge(file, options.finishedAt, options.binary);
    case "agent": {
      if (!options.agent || !options.context || options.repo === undefined) return { ok: false, reason: "no agent configured" };
      if (options.binary) return { ok: false, reason: "not a text file" };
      const answer = await options.agent({ repo: options.repo, path: file.path, base: file.base, ours: file.ours, theirs: file.theirs, context: options.context, signal: options.signal });
      if (!answer) return { ok: false, reason: "the agent gave up" };
      if (hasConflictMarkers(answer.content)) return { ok: false, reason: "the agent's answer still holds conflict markers" };
      // The agent's answer is held to the proof of every structured result (result-checks.ts).
      const problem = file.ours !== undefined && file.theirs !== undefined ? await refuseMergedText({ path: file.path, ours: file.ours, theirs: file.theirs, result: answer.content }) : undefined;
      if (problem !== undefined) return { ok: false, reason: `the agent's answer: ${problem}` };
      return { ok: true, content: answer.content };
    }
    case "manual":
      return { ok: false, reason: "left for a person to resolve" };
  }
}

/** Merging: detection, strategy chains, the review queue hand-off, the verification gate, the merge driver. */
export type {
  AgentResolver,
  ConflictDetail,
  FileVersions,
  MergeOutcome,
  MergeTaskContext,
  PrecedentResolution,
  PrecedentStore,
  StrategyAttempt,
} from "./types.js";
export { mergeTree, parseMergeTree } from "./merge-tree.js";
export type { MergeTreeConflict, MergeTreeOptions, MergeTreeResult } from "./merge-tree.js";
export { mergeIntoBranch, commitMessage, overallStrategy, BranchMovedError } from "./merge-into-branch.js";
export { changedFiles } from "./git-objects.js";
export type { MergeIntoBranchOptions } from "./merge-into-branch.js";
export { applyResolution, rememberResolutions } from "./apply-resolution.js";
export type { ApplyResolutionOptions, StoredConflict } from "./apply-resolution.js";
export { queueConflict } from "./review-queue.js";
export { PgPrecedentStore, MemoryPrecedentStore } from "./precedents.js";
export { shapeHash, extractPrecedent, applyPrecedent } from "./shape.js";
export { hunksOverlap } from "./detector.js";
export type { OverlappingHunk } from "./detector.js";
export { ConflictPredictor, predictOverlaps, serializeOverlaps } from "./predictor.js";
export { runGate } from "./gate.js";
export type { GateOptions, GateResult } from "./gate.js";
export { runMergeDriver } from "./merge-driver.js";
export { mergeFileText, gitMergeFile } from "./merge-file.js";
export type { MergeFileResult } from "./merge-file.js";
export { resolveFile } from "./resolve-file.js";
export { chainFor, DEFAULT_CHAIN } from "./glob.js";
export { mergeTextRegions, withConflictMarkers, hasConflictMarkers } from "./diff3.js";
export type { MergeRegion, ConflictRegion } from "./diff3.js";

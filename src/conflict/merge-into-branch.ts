/**
 * Merges a task's branch into the integration branch without any checkout: git's merge in the object store,
 * strategy chains for what git could not merge, a two-parent commit recording the strategy per file, and a
 * compare-and-swap ref update (redone on a lost race). On conflict nothing moves.
 */
import { GitError, KappaError, throwIfAborted, type StrategyRule, type VersionConflictRule } from "../core/index.js";
import { computeMerge, type PathOverride } from "./compute-merge.js";
import { commitTree, compareAndSwapRef, fullRef } from "./git-objects.js";
import { requireCommit, resolveCommit } from "../workspace/index.js";
import type { AgentResolver, MergeOutcome, MergeTaskContext, PrecedentStore } from "./types.js";

export interface MergeIntoBranchOptions {
  repo: string;
  /** The integration branch (short name or full ref). */
  branch: string;
  /** The task branch head (any revision). */
  theirs: string;
  message: string;
  rules: readonly StrategyRule[];
  context: MergeTaskContext;
  precedents?: PrecedentStore | undefined;
  agent?: AgentResolver | undefined;
  signal: AbortSignal;
  /**
   * The integration head the caller believes current (it follows its own merges): saves reading the ref. When
   * another process moved the branch meanwhile, the compare-and-swap notices and the merge is redone.
   */
  expectedHead?: string | undefined;
  /**
   * The caller is the only one that moves the branch: when it is no longer at `expectedHead`, throw
   * {@link BranchMovedError} instead of redoing the merge on whatever it points at now (a rewound branch would
   * silently drop merged work). @default false
   */
  ownsBranch?: boolean | undefined;
  /** Stored per-file resolutions (from the review queue); see applyResolution. */
  overrides?: ReadonlyMap<string, PathOverride> | undefined;
  /** package.json `version` changed on both sides (the `versionConflict` setting). */
  versionConflict?: VersionConflictRule | undefined;
}

/** The integration branch is not where its owner left it. */
export class BranchMovedError extends KappaError {
  override readonly name = "BranchMovedError";
  constructor(
    readonly ref: string,
    readonly expected: string,
    readonly actual: string | undefined,
  ) {
    super("GIT", `${ref} was moved by something other than kappa (expected ${expected.slice(0, 12)}, found ${actual?.slice(0, 12) ?? "nothing"})`, {
      hint: "a session or another program moved kappa's integration branch; kappa restores it and stops the run",
    }, 1);
  }
}

/** Another kappa process may merge into the same branch; after this many lost races something is wrong. */
const MAX_RACES = 20;
const STRATEGY_ORDER = ["merge", "precedent", "structured", "newer", "agent", "manual"];

export async function mergeIntoBranch(options: MergeIntoBranchOptions): Promise<MergeOutcome> {
  const { repo, signal } = options;
  const ref = fullRef(options.branch);
  // A full object id needs no lookup (merges are on the hot path); a wrong one fails at merge-tree.
  const theirs = /^[0-9a-f]{40}$/.test(options.theirs) ? options.theirs : await requireCommit(repo, options.theirs, "the task's commit", signal);
  let expected = options.expectedHead;
  for (let race = 0; race < MAX_RACES; race++) {
    throwIfAborted(signal);
    const ours = expected ?? (await resolveCommit(repo, ref, signal));
    expected = undefined;
    if (ours === undefined) {
      throw new GitError(`the integration branch ${ref} does not exist`, "", { hint: "create it from the run's base commit before merging tasks into it" });
    }
    const computed = await computeMerge({ ...options, ours, theirs });
    if (computed.status === "conflict") {
      return { status: "conflict", files: computed.conflicts.map((c) => c.path), conflicts: computed.conflicts, mergeBase: computed.mergeBase, ours, theirs, resolved: computed.resolved };
    }
    const strategy = overallStrategy(computed.strategies);
    const message = commitMessage(options.message, strategy, computed.strategies, options.context);
    // The files it changed are not listed here: that is one more git process on the serial part of every task,
    // and callers ask for them (changedFiles) after letting go of the branch.
    const commit = await commitTree(repo, computed.tree, [ours, theirs], message, signal);
    if (await compareAndSwapRef(repo, ref, commit, ours, `kappa: merge ${options.context.taskId} (${strategy})`, signal)) {
      return { status: "merged", commit, previous: ours, strategy, strategies: computed.strategies };
    }
    if (options.ownsBranch) throw new BranchMovedError(ref, ours, await resolveCommit(repo, ref, signal));
  }
  throw new GitError(`the integration branch ${ref} kept moving while merging ${options.context.taskId}`, "", {
    hint: "another process is merging into the same branch continuously; retry the merge",
  });
}

/** "merge" when git's merge sufficed, else the strategies used, in chain order, joined by "+". */
export function overallStrategy(strategies: Record<string, string>): string {
  const used = new Set(Object.values(strategies));
  if (used.size === 0) return "merge";
  return [...used].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).join("+");
}

function rank(s: string): number {
  const i = STRATEGY_ORDER.indexOf(s);
  return i < 0 ? STRATEGY_ORDER.length : i;
}

/** The commit message: the caller's message, then the strategy per file and trailers a script can read. */
export function commitMessage(message: string, strategy: string, strategies: Record<string, string>, context: MergeTaskContext): string {
  const lines = [message.trim(), ""];
  const files = Object.keys(strategies).sort();
  if (files.length > 0) {
    lines.push("Merge strategy per file:");
    for (const f of files) lines.push(`  ${f}: ${strategies[f] ?? ""}`);
    lines.push("");
  }
  lines.push(`Kappa-Run: ${context.runId}`, `Kappa-Task: ${context.taskId}`);
  if (context.attempt !== undefined) lines.push(`Kappa-Attempt: ${context.attempt}`);
  lines.push(`Kappa-Strategy: ${strategy}`);
  return `${lines.join("\n")}\n`;
}

/**
 * A run's integration branch, as one object that owns what kappa knows about it: its name (built here and
 * nowhere else in graph/), its head (read once, then followed through merges and reverts: only this
 * orchestrator moves it, by the run lock), finding a merge made before a crash, reverting a merge, and how new
 * the work on it is (the "newer" merge strategies compare that with a task's).
 */
import type { MergeResult } from "./ports.js";
import { findMergeOf, git, gitText, integrationBranch, type CheckoutChange } from "../workspace/index.js";

export class IntegrationBranch {
  readonly name: string;
  private readonly ref: string;
  private knownHead: string | undefined;
  private newestWork: number | undefined;
  /** Moves of the branch by something other than this process, each undone when found. */
  readonly foreignMoves: CheckoutChange[] = [];

  constructor(
    private readonly repo: string,
    runId: string,
  ) {
    this.name = integrationBranch(runId);
    this.ref = `refs/heads/${this.name}`;
  }

  async head(signal: AbortSignal): Promise<string> {
    this.knownHead ??= await gitText(["rev-parse", "--verify", `${this.ref}^{commit}`], { cwd: this.repo, signal });
    return this.knownHead;
  }

  /** The head a compare-and-swap merge expects (undefined until read: the merge reads it itself then). */
  get expectedHead(): string | undefined {
    return this.knownHead;
  }

  /** Records a merge made onto the branch, and when the merged work finished. */
  merged(commit: string, finishedAt: number): void {
    this.knownHead = commit;
    this.newestWork = Math.max(this.newestWork ?? 0, finishedAt);
  }

  /** Records a merge of a resolution (no task finish time to compare). */
  moved(commit: string): void {
    this.knownHead = commit;
  }

  /** When the newest work on the branch finished; `load` asks the database the first time. */
  async newestWorkAt(load: () => Promise<number>): Promise<number> {
    this.newestWork ??= await load();
    return this.newestWork;
  }

  /**
   * The merge on the branch that brought in `commit`, made before a crash. `settled`: later merges are on top,
   * so it cannot be reverted alone (its gate passed then).
   */
  async findMerge(commit: string, signal: AbortSignal): Promise<MergeResult | undefined> {
    const head = await this.head(signal);
    const found = await findMergeOf(this.repo, commit, head, signal);
    return found && { status: "merged", commit: found.commit, previousHead: found.previousHead, strategy: found.strategy, settled: found.commit !== head };
  }

  /** Moves the branch back from `from` to `to` (compare-and-swap: fails when someone else moved it). */
  async revert(to: string, from: string, signal: AbortSignal): Promise<void> {
    await git(["update-ref", "-m", "kappa: revert a merge that failed the verification gate", this.ref, to, from], { cwd: this.repo, signal });
    this.knownHead = to;
  }

  /**
   * Puts the branch back at the head kappa recorded when something else moved it (compare-and-swap on what it
   * found), and records the move in `foreignMoves`. Nothing to guard before the head was first read.
   */
  async guard(signal: AbortSignal): Promise<void> {
    if (this.knownHead === undefined) return;
    const actual = (await git(["rev-parse", "--verify", "--quiet", `${this.ref}^{commit}`], { cwd: this.repo, signal, okCodes: [0, 1] })).stdout.trim() || undefined;
    if (actual === this.knownHead) return;
    this.foreignMoves.push({ what: "ref", ref: this.ref, before: this.knownHead, after: actual, restored: true });
    await git(["update-ref", "-m", "kappa: restore the integration branch moved by something else", this.ref, this.knownHead, actual ?? ""], { cwd: this.repo, signal });
  }
}

/** Which merge on a branch's first-parent line brought a commit in: how a resumed run finds a merge it made before a crash. */
import { gitText } from "./git.js";

export interface FoundMerge {
  /** The merge commit. */
  commit: string;
  /** Its first parent: the branch's head before the merge. */
  previousHead: string;
  /** Its `Kappa-Strategy` trailer ("merge" when absent). */
  strategy: string;
}

/** The first-parent merge commit on `to` that brought in `commit`, or undefined when `to` does not contain it. */
export async function findMergeOf(repo: string, commit: string, to: string, signal?: AbortSignal): Promise<FoundMerge | undefined> {
  const out = await gitText(["log", "--first-parent", "--ancestry-path", "--reverse", "--format=%H %P%x00%(trailers:key=Kappa-Strategy,valueonly)", `${commit}..${to}`], { cwd: repo, signal });
  const first = out.split("\n")[0];
  if (!first) return undefined;
  const [ids = "", strategy = ""] = first.split("\0");
  const [merge = "", parent = ""] = ids.split(" ");
  // `commit` on the branch's own line (a task that changed nothing) was not merged by anything.
  if (parent === commit) return undefined;
  return { commit: merge, previousHead: parent, strategy: strategy.trim() || "merge" };
}

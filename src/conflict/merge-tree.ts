/**
 * `git merge-tree --write-tree` (git >= 2.38): git's own three-way merge (ort, with rename detection) computed
 * in the object store, without a checkout.
 */
import { git, gitText } from "../workspace/index.js";

export interface MergeTreeConflict {
  path: string;
  /** Blob ids per stage; absent when that side has no file there (added, deleted, renamed away). */
  base?: string;
  ours?: string;
  theirs?: string;
  modes: { base?: string; ours?: string; theirs?: string };
  /** git's conflict types for this path, e.g. ["contents"], ["modify/delete"]. */
  types: string[];
}

export interface MergeTreeResult {
  clean: boolean;
  /** The merged tree; conflicted files hold conflict markers. */
  tree: string;
  mergeBase: string;
  conflicts: MergeTreeConflict[];
  /** Paths git content-merged (changed on both sides), clean or not. */
  autoMerged: string[];
  /** Conflict types git reported for paths it may not list as a stage (e.g. "rename/rename"). */
  messages: { paths: string[]; type: string; message: string }[];
}

export interface MergeTreeOptions {
  repo: string;
  ours: string;
  theirs: string;
  signal: AbortSignal;
}

export async function mergeTree({ repo, ours, theirs, signal }: MergeTreeOptions): Promise<MergeTreeResult> {
  const result = await git(["merge-tree", "--write-tree", "-z", "--messages", ours, theirs], { cwd: repo, signal, okCodes: [0, 1] });
  const parsed = parseMergeTree(result.stdout, result.code === 0);
  // The merge base is needed only to look at files both sides changed; the common case (disjoint files, one
  // merge per finished task, under the merge lock) skips the extra git process.
  const needsBase = !parsed.clean || parsed.autoMerged.length > 0 || parsed.messages.length > 0;
  const mergeBase = needsBase ? await gitText(["merge-base", ours, theirs], { cwd: repo, signal }).catch(() => "") : "";
  return { ...parsed, mergeBase };
}

/** Parses `git merge-tree --write-tree -z --messages` output. */
export function parseMergeTree(stdout: string, clean: boolean): Omit<MergeTreeResult, "mergeBase"> {
  const tokens = stdout.split("\u0000");
  const tree = tokens[0] ?? "";
  let i = 1;
  const byPath = new Map<string, MergeTreeConflict>();
  for (; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === "") {
      i++;
      break;
    }
    const m = /^(\d+) ([0-9a-f]+) ([123])\t([\s\S]*)$/.exec(token);
    if (!m) continue;
    const [, mode, oid, stage, path] = m as unknown as [string, string, string, string, string];
    let c = byPath.get(path);
    if (!c) {
      c = { path, modes: {}, types: [] };
      byPath.set(path, c);
    }
    const side = stage === "1" ? "base" : stage === "2" ? "ours" : "theirs";
    c[side] = oid;
    c.modes[side] = mode;
  }
  const messages: MergeTreeResult["messages"] = [];
  const autoMerged: string[] = [];
  while (i < tokens.length) {
    const count = Number(tokens[i]);
    if (!Number.isInteger(count) || count < 1 || tokens[i] === "") break;
    const paths = tokens.slice(i + 1, i + 1 + count);
    const type = tokens[i + 1 + count] ?? "";
    const message = tokens[i + 2 + count] ?? "";
    i += 3 + count;
    messages.push({ paths, type, message });
    if (type === "Auto-merging") autoMerged.push(...paths);
    const conflictType = /^CONFLICT \((.+)\)$/.exec(type)?.[1];
    if (conflictType) {
      // git labels add/add conflicts "contents" in the type and says add/add in the message.
      const precise = /^CONFLICT \(([^)]+)\)/.exec(message)?.[1] ?? conflictType;
      for (const p of paths) byPath.get(p)?.types.push(precise);
    }
  }
  return { clean, tree, conflicts: [...byPath.values()], autoMerged, messages };
}

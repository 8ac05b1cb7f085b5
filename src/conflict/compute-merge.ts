/**
 * Computes the result tree of merging `theirs` into `ours` with the strategy chains, in the object store only.
 * Returns the tree and the strategy per file, or the files no strategy could resolve. Moves no ref.
 */
import type { StrategyRule, VersionConflictRule } from "../core/index.js";
import { chainFor } from "./glob.js";
import { readTextBlob, treeEntry, updateTree, writeBlob, type TreeEntry, type TreeUpdate } from "./git-objects.js";
import { mergeTree, type MergeTreeConflict } from "./merge-tree.js";
import { resolveFile, type FileResolution } from "./resolve-file.js";
import { isLockfile } from "./strategies/lockfile.js";
import type { AgentResolver, ConflictDetail, MergeTaskContext, PrecedentStore } from "./types.js";

/** A stored resolution for one path, valid only while the path's three versions are the ones it was made for. */
export interface PathOverride {
  expect: { base?: string | undefined; ours?: string | undefined; theirs?: string | undefined };
  content?: string | null | undefined;
  side?: "ours" | "theirs" | undefined;
}

export interface ComputeMergeOptions {
  repo: string;
  ours: string;
  theirs: string;
  rules: readonly StrategyRule[];
  context: MergeTaskContext;
  precedents?: PrecedentStore | undefined;
  agent?: AgentResolver | undefined;
  overrides?: ReadonlyMap<string, PathOverride> | undefined;
  /** package.json `version` changed on both sides (the `versionConflict` setting). */
  versionConflict?: VersionConflictRule | undefined;
  signal: AbortSignal;
}

export type ComputedMerge =
  | { status: "merged"; tree: string; mergeBase: string; strategies: Record<string, string> }
  | { status: "conflict"; mergeBase: string; conflicts: ConflictDetail[]; resolved: Record<string, string> };

/** Conflict types the chains know how to handle; anything else (renames, directory/file…) goes to a person. */
const HANDLED_TYPES = new Set(["contents", "content", "add/add", "modify/delete"]);
/** Largest text kept in the review queue row per side. */
const MAX_DETAIL_CHARS = 512 * 1024;

export async function computeMerge(options: ComputeMergeOptions): Promise<ComputedMerge> {
  const { repo, ours, theirs, signal } = options;
  const mt = await mergeTree({ repo, ours, theirs, signal });
  const staged = new Map(mt.conflicts.map((c) => [c.path, c]));
  const unhandled = new Map<string, string>();
  for (const m of mt.messages) {
    const type = /^CONFLICT \(([^)]+)\)/.exec(m.message)?.[1];
    if (type && !HANDLED_TYPES.has(type)) for (const p of m.paths) unhandled.set(p, `git reports a ${type} conflict: ${m.message.trim()}`);
  }
  // Paths to decide: git's conflicts, files git content-merged whose chain does not accept git's merge, overrides.
  const strategies: Record<string, string> = {};
  const todo = new Map<string, MergeTreeConflict>();
  for (const c of mt.conflicts) todo.set(c.path, c);
  for (const path of mt.autoMerged) {
    if (staged.has(path)) continue;
    if (chainFor(path, options.rules).includes("merge") && !options.overrides?.has(path)) strategies[path] = "merge";
    else todo.set(path, await stagesOf(repo, path, mt.mergeBase, ours, theirs, signal));
  }
  for (const path of options.overrides?.keys() ?? []) {
    if (!todo.has(path)) todo.set(path, await stagesOf(repo, path, mt.mergeBase, ours, theirs, signal));
  }

  const resolvedContent = new Map<string, string | null>();
  const updates: TreeUpdate[] = [];
  const conflicts: ConflictDetail[] = [];
  const resolvedNames: Record<string, string> = {};
  const mergedFile = async (path: string): Promise<string | undefined> => {
    const own = resolvedContent.get(path);
    if (own !== undefined) return own ?? undefined;
    const entry = await treeEntry(repo, mt.tree, path, signal);
    return entry ? readTextBlob(repo, entry.oid, signal) : undefined;
  };
  // Lockfiles last: they are checked against the merged manifest.
  const paths = [...todo.keys()].sort((a, b) => Number(isLockfile(a)) - Number(isLockfile(b)) || (a < b ? -1 : a > b ? 1 : 0));
  for (const path of paths) {
    const c = todo.get(path) as MergeTreeConflict;
    const [base, oursText, theirsText] = await Promise.all([c.base, c.ours, c.theirs].map((oid) => (oid ? readTextBlob(repo, oid, signal) : Promise.resolve(undefined))));
    const binary = (c.base !== undefined && base === undefined) || (c.ours !== undefined && oursText === undefined) || (c.theirs !== undefined && theirsText === undefined);
    const special = [c.modes.base, c.modes.ours, c.modes.theirs].some((m) => m === "120000" || m === "160000");
    const detail = (kind: string, tried: ConflictDetail["tried"]): ConflictDetail => ({
      path,
      baseOid: c.base,
      oursOid: c.ours,
      theirsOid: c.theirs,
      base: keep(base),
      ours: keep(oursText),
      theirs: keep(theirsText),
      kind,
      tried,
    });
    let resolution: FileResolution;
    const override = options.overrides?.get(path);
    if (override) {
      const same = override.expect.base === c.base && override.expect.ours === c.ours && override.expect.theirs === c.theirs;
      resolution = same
        ? { ok: true, strategy: "manual", content: override.content ?? null, side: override.side }
        : { ok: false, tried: [{ strategy: "manual", reason: "the stored resolution no longer applies: the file changed since" }] };
      if (same && override.content === undefined && override.side === undefined) {
        resolution = { ok: false, tried: [{ strategy: "manual", reason: "the stored resolution does not cover this file" }] };
      }
    } else if (unhandled.has(path) || special) {
      resolution = { ok: false, tried: [{ strategy: "merge", reason: unhandled.get(path) ?? "a symbolic link or submodule" }] };
    } else {
      resolution = await resolveFile(
        { path, base, ours: oursText, theirs: theirsText },
        {
          chain: chainFor(path, options.rules),
          binary,
          structured: { mergedFile, ...(options.versionConflict ? { versionConflict: options.versionConflict } : {}) },
          finishedAt: options.context.finishedAt,
          agent: options.agent,
          precedents: options.precedents,
          repo,
          context: options.context,
          signal,
        },
      );
    }
    const kind = c.types[0] ?? (c.base === undefined ? "add/add" : c.ours === undefined || c.theirs === undefined ? "modify/delete" : "contents");
    if (!resolution.ok) {
      conflicts.push(detail(kind, resolution.tried));
      continue;
    }
    strategies[path] = resolution.strategy;
    resolvedNames[path] = resolution.strategy;
    resolvedContent.set(path, resolution.content);
    updates.push({ path, entry: await entryFor(repo, c, resolution, signal) });
  }
  // Unhandled conflicts on paths git did not stage still block the merge.
  for (const [path, reason] of unhandled) {
    if (!todo.has(path)) conflicts.push({ path, kind: "tree", tried: [{ strategy: "merge", reason }] });
  }
  if (conflicts.length > 0) return { status: "conflict", mergeBase: mt.mergeBase, conflicts, resolved: resolvedNames };
  const tree = await updateTree(repo, mt.tree, updates, signal);
  return { status: "merged", tree, mergeBase: mt.mergeBase, strategies };
}

function keep(text: string | undefined): string | undefined {
  return text !== undefined && text.length <= MAX_DETAIL_CHARS ? text : undefined;
}

async function entryFor(repo: string, c: MergeTreeConflict, resolution: Extract<FileResolution, { ok: true }>, signal: AbortSignal): Promise<TreeEntry | null> {
  if (resolution.side) {
    const oid = c[resolution.side];
    const mode = c.modes[resolution.side];
    return oid && mode ? { oid, mode } : null;
  }
  if (resolution.content === null) return null;
  const mode = c.modes.ours ?? c.modes.theirs ?? c.modes.base ?? "100644";
  return { mode, oid: await writeBlob(repo, resolution.content, signal) };
}

/** The three versions of a path git merged without a conflict stage (no rename tracking). */
async function stagesOf(repo: string, path: string, mergeBase: string, ours: string, theirs: string, signal: AbortSignal): Promise<MergeTreeConflict> {
  const [b, o, t] = await Promise.all([mergeBase ? treeEntry(repo, mergeBase, path, signal) : undefined, treeEntry(repo, ours, path, signal), treeEntry(repo, theirs, path, signal)]);
  return { path, base: b?.oid, ours: o?.oid, theirs: t?.oid, modes: { base: b?.mode, ours: o?.mode, theirs: t?.mode }, types: [] };
}

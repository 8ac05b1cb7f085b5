/**
 * The structured strategy: understands the file's format and merges by meaning, or refuses. JSON by keys
 * (package.json dependency maps by semver), lockfiles against the merged manifest, list-like text regions.
 */
import { mergeJsonFile } from "./json-file.js";
import { mergeListInsertions } from "./list-insert.js";
import { isLockfile, mergeLockfile } from "./lockfile.js";
import type { FileVersions, StrategyAttempt } from "../types.js";

export interface StructuredContext {
  /** The merged content of another file of the result (e.g. the manifest next to a lockfile). */
  mergedFile?: (path: string) => Promise<string | undefined>;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Structured merge of one file; refuses when any part of it would be a guess. */
export async function structuredMerge(file: FileVersions, context: StructuredContext = {}): Promise<StrategyAttempt> {
  const { base, ours, theirs, path } = file;
  if (ours === undefined || theirs === undefined) return { ok: false, reason: "the file was deleted on one side" };
  if (isLockfile(path)) return mergeLockfile(file, context);
  const name = baseName(path);
  if (name.endsWith(".json")) return mergeJsonFile(base, ours, theirs, name === "package.json");
  return mergeListInsertions(path, base ?? "", ours, theirs);
}

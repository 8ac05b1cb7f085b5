/**
 * The structured strategy: understands the file's format and merges by meaning, or refuses. JSON by keys
 * (package.json dependency maps by semver, its `version` by the versionConflict rule), lockfiles against the
 * merged manifest, other text hunk by hunk on git's own conflict hunks. Every result passes result-checks.ts.
 */
import type { VersionConflictRule } from "../../core/index.js";
import { gitMergeRegions } from "../git-merge-file.js";
import { refuseMergedText } from "../result-checks.js";
import type { FileVersions, StrategyAttempt } from "../types.js";
import { mergeJsonFile } from "./json-file.js";
import { isLockfile, mergeLockfile } from "./lockfile.js";
import { mergeTextHunks, type InsertionOrder } from "./text-hunks.js";

export interface StructuredContext {
  /** The merged content of another file of the result (e.g. the manifest next to a lockfile). */
  mergedFile?: (path: string) => Promise<string | undefined>;
  /** package.json `version` changed on both sides: keep the integration side's, the higher, or refuse. */
  versionConflict?: VersionConflictRule;
  /** The sides' time order, when known (kappa's own merges: the tasks' finish times). */
  insertionOrder?: InsertionOrder | undefined;
  signal?: AbortSignal;
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
  let attempt: StrategyAttempt | undefined;
  if (name.endsWith(".json")) {
    attempt = mergeJsonFile(base, ours, theirs, name === "package.json", context.versionConflict ?? "higher", true);
    if (!attempt.ok && !attempt.reason.startsWith("JSON that is not in")) return attempt;
  }
  if (!attempt?.ok) {
    // No side ends with a newline: merge as if each did, then drop it again (git's markers need whole lines).
    const noEol = [base ?? "", ours, theirs].every((t) => t === "" || !t.endsWith("\n")) && ours !== "" && theirs !== "";
    const eol = (t: string): string => (noEol && t !== "" ? `${t}\n` : t);
    const regions = await gitMergeRegions(eol(base ?? ""), eol(ours), eol(theirs), context.signal ?? new AbortController().signal);
    if (!regions) return { ok: false, reason: "git's conflict hunks cannot be read back (marker-like lines, or only some sides end with a newline)" };
    const merged = mergeTextHunks(path, regions, context.insertionOrder);
    if ("refuse" in merged) return { ok: false, reason: merged.refuse };
    attempt = { ok: true, content: noEol ? merged.content.replace(/\n$/, "") : merged.content, detail: [...new Set(merged.rules)].join(", ") };
  }
  if (!attempt.ok || attempt.content === null) return attempt;
  const problem = await refuseMergedText({ path, ours, theirs, result: attempt.content });
  return problem === undefined ? attempt : { ok: false, reason: problem };
}

/** A JSON file merged by keys, keeping its exact layout. */
import { DEPENDENCY_MAPS, formatJson, mergeJson, parseCanonicalJson, type Json } from "./json-merge.js";
import type { VersionConflictRule } from "../../core/index.js";
import { higherVersion } from "../semver-range.js";
import type { StrategyAttempt } from "../types.js";

/**
 * `manifest`: the file is a package.json, whose dependency maps merge by semver and whose top-level `version`
 * follows `versionRule` when both sides changed it (integration: ours, the branch merged into; higher: the
 * higher semver; manual: refuse).
 */
export function mergeJsonFile(base: string | undefined, ours: string, theirs: string, manifest: boolean, versionRule: VersionConflictRule = "higher", refuseRootAdditions = false): StrategyAttempt {
  const o = parseCanonicalJson(ours);
  const t = parseCanonicalJson(theirs);
  if (!o || !t) return { ok: false, reason: "JSON that is not in JSON.stringify's layout (merging would reformat it)" };
  let b: Json | undefined;
  if (base !== undefined && base !== "") {
    try {
      b = JSON.parse(base) as Json;
    } catch {
      return { ok: false, reason: "the base version is not valid JSON" };
    }
  }
  const result = mergeJson(b, o.value, t.value, {
    isDependencyMap: (p) => manifest && p.length === 1 && DEPENDENCY_MAPS.has(p[0] as string),
    refuseRootAdditions,
    settle: (p, o2, t2) => {
      if (!manifest || p.length !== 1 || p[0] !== "version" || typeof o2 !== "string" || typeof t2 !== "string") return undefined;
      if (versionRule === "integration") return o2;
      if (versionRule === "higher") return higherVersion(o2, t2);
      return undefined;
    },
  });
  if (!result.ok) return { ok: false, reason: result.reason };
  if (result.value === undefined) return { ok: false, reason: "the document was emptied" };
  return { ok: true, content: formatJson(result.value, o.format), detail: manifest ? "package.json merged by keys" : "JSON merged by keys" };
}

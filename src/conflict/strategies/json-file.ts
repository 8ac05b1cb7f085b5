/** A JSON file merged by keys, keeping its exact layout. */
import { DEPENDENCY_MAPS, formatJson, mergeJson, parseCanonicalJson, type Json } from "./json-merge.js";
import type { StrategyAttempt } from "../types.js";

/** `manifest`: the file is a package.json, whose dependency maps merge by semver. */
export function mergeJsonFile(base: string | undefined, ours: string, theirs: string, manifest: boolean): StrategyAttempt {
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
  });
  if (!result.ok) return { ok: false, reason: result.reason };
  if (result.value === undefined) return { ok: false, reason: "the document was emptied" };
  return { ok: true, content: formatJson(result.value, o.format), detail: manifest ? "package.json merged by keys" : "JSON merged by keys" };
}

/**
 * Three-way merge of JSON documents by keys. Refuses (returns a reason) whenever the sides disagree about one
 * value, except for dependency maps where two compatible semver ranges resolve to the higher. Output keeps the
 * files' own formatting: a side whose text is not what `JSON.stringify` would write is refused, so a merge
 * never reformats a file.
 */
import { higherCompatibleRange } from "../semver-range.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMergeResult = { ok: true; value: Json } | { ok: false; reason: string };

export const DEPENDENCY_MAPS = new Set(["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]);

interface MergeOptions {
  /** Object paths whose values are dependency maps (version ranges). */
  isDependencyMap: (path: readonly string[]) => boolean;
  /** A scalar both sides changed differently at `path`: the value to keep, or undefined to refuse. */
  settle?: (path: readonly string[], ours: Json, theirs: Json) => Json | undefined;
  /**
   * Refuse a top-level key only one side added. On the corpus of docs/merge-driver.md the human's file kept such
   * a key in 8 conflicting files and dropped it in 9: no proof either way.
   */
  refuseRootAdditions?: boolean;
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const REFUSE = (reason: string): JsonMergeResult => ({ ok: false, reason });

/** Merges `base`/`ours`/`theirs`; `undefined` means the key is absent on that side. */
export function mergeJson(base: Json | undefined, ours: Json | undefined, theirs: Json | undefined, options: MergeOptions, path: string[] = []): JsonMergeResult | { ok: true; value: undefined } {
  if (jsonEqual(ours, theirs)) return { ok: true, value: ours };
  if (jsonEqual(base, ours)) return { ok: true, value: theirs };
  if (jsonEqual(base, theirs)) return { ok: true, value: ours };
  const where = path.length > 0 ? path.join(".") : "(root)";
  if (ours === undefined || theirs === undefined) return REFUSE(`${where} deleted on one side and changed on the other`);
  if (isObject(ours) && isObject(theirs) && (base === undefined || isObject(base))) {
    // Entries of the root and of dependency maps are independent; in any other object both sides changed, one
    // entry's meaning may depend on another's (scripts calling scripts, a browser map, paths): a person decides.
    if (path.length > 0 && !options.isDependencyMap(path)) return REFUSE(`${where}: an object both sides changed`);
    return mergeObjects(base ?? {}, ours, theirs, options, path);
  }
  if (Array.isArray(ours) && Array.isArray(theirs) && (base === undefined || Array.isArray(base))) {
    return REFUSE(`${where}: an array both sides changed`);
  }
  const parent = path.slice(0, -1);
  if (options.isDependencyMap(parent) && typeof ours === "string" && typeof theirs === "string") {
    const higher = higherCompatibleRange(ours, theirs);
    if (higher !== undefined) return { ok: true, value: higher };
    return REFUSE(`${where}: ${ours} and ${theirs} are not ranges of the same major version`);
  }
  const settled = options.settle?.(path, ours, theirs);
  if (settled !== undefined) return { ok: true, value: settled };
  return REFUSE(`${where} changed differently on both sides`);
}

/** The side kept the base keys it did not delete in the base's order. */
function keepsOrder(base: { [key: string]: Json }, side: { [key: string]: Json }): boolean {
  const kept = Object.keys(side).filter((k) => Object.hasOwn(base, k));
  const order = Object.keys(base).filter((k) => Object.hasOwn(side, k));
  return kept.every((k, i) => k === order[i]);
}

function mergeObjects(base: { [key: string]: Json }, ours: { [key: string]: Json }, theirs: { [key: string]: Json }, options: MergeOptions, path: string[]): JsonMergeResult {
  const sortedSide = (keys: readonly string[]): boolean => keys.length >= 3 && isSorted(keys);
  for (const side of [ours, theirs]) {
    if (!keepsOrder(base, side) && !sortedSide(Object.keys(side))) return REFUSE(`${path.length > 0 ? path.join(".") : "(root)"}: keys moved on one side`);
  }
  if (path.length === 0 && options.refuseRootAdditions) {
    const added = [...Object.keys(ours), ...Object.keys(theirs)].find((k) => !Object.hasOwn(base, k) && Object.hasOwn(ours, k) !== Object.hasOwn(theirs, k));
    if (added !== undefined) return REFUSE(`${added}: a top-level key only one side added`);
  }
  const merged = new Map<string, Json>();
  for (const key of Object.keys(ours)) {
    const r = mergeJson(base[key], ours[key], theirs[key], options, [...path, key]);
    if (!r.ok) return r;
    if (r.value !== undefined) merged.set(key, r.value);
  }
  // Keys only theirs has: insert after the key that precedes them in theirs, so a sorted map stays sorted.
  const theirsKeys = Object.keys(theirs);
  const isOursAddition = (k: string): boolean => !Object.hasOwn(base, k) && !Object.hasOwn(theirs, k);
  let order = [...merged.keys()];
  for (const [i, key] of theirsKeys.entries()) {
    if (Object.hasOwn(ours, key)) continue;
    const r = mergeJson(base[key], undefined, theirs[key], options, [...path, key]);
    if (!r.ok) return r;
    if (r.value === undefined) continue;
    merged.set(key, r.value);
    let anchor = -1;
    for (let j = i - 1; j >= 0; j--) {
      const prev = theirsKeys[j] as string;
      const at = order.indexOf(prev);
      if (at >= 0) {
        anchor = at;
        break;
      }
    }
    // Keys ours added at the same spot come first (ours then theirs, as for list insertions).
    while (anchor + 1 < order.length && isOursAddition(order[anchor + 1] as string)) anchor++;
    order = [...order.slice(0, anchor + 1), key, ...order.slice(anchor + 1)];
  }
  // Both sides sorted, or one side sorted keys the base had unsorted (three or more): the map stays sorted.
  const oursKeys = Object.keys(ours);
  const baseSorted = isSorted(Object.keys(base));
  if ((isSorted(oursKeys) && isSorted(theirsKeys)) || (!baseSorted && (sortedSide(oursKeys) || sortedSide(theirsKeys)))) order.sort();
  const value: { [key: string]: Json } = {};
  for (const key of order) value[key] = merged.get(key) as Json;
  return { ok: true, value };
}

function isSorted(keys: readonly string[]): boolean {
  return keys.length > 1 && keys.every((k, i) => i === 0 || (keys[i - 1] as string) <= k);
}

export interface JsonFormat {
  indent: string | number;
  finalNewline: boolean;
}

/** Parses text that is exactly what JSON.stringify writes (so re-serialising changes nothing else), or undefined. */
export function parseCanonicalJson(text: string): { value: Json; format: JsonFormat } | undefined {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  const indentMatch = /\n([ \t]+)"/.exec(text);
  const indent = indentMatch?.[1] ?? 2;
  const finalNewline = text.endsWith("\n");
  const format: JsonFormat = { indent, finalNewline };
  return formatJson(value, format) === text ? { value, format } : undefined;
}

export function formatJson(value: Json, format: JsonFormat): string {
  return JSON.stringify(value, null, format.indent) + (format.finalNewline ? "\n" : "");
}

/** Path globs for `conflictStrategies` rules: `**` any depth, `*` within a segment, `?` one character. */
import type { StrategyName, StrategyRule } from "../core/index.js";

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A glob without a slash matches the file name at any depth, as in .gitattributes.
  const full = glob.includes("/") ? `^${re}$` : `^(?:.*/)?${re}$`;
  const regex = new RegExp(full);
  cache.set(glob, regex);
  return regex;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/** The default chain when no rule matches: git's clean merge, then structured, then ask. */
export const DEFAULT_CHAIN: readonly StrategyName[] = ["merge", "structured", "manual"];

/** The strategy chain for a path: the first matching rule wins. */
export function chainFor(path: string, rules: readonly StrategyRule[]): readonly StrategyName[] {
  for (const rule of rules) if (matchesGlob(path, rule.glob)) return rule.strategies;
  return DEFAULT_CHAIN;
}

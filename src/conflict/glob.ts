/** The strategy chain of a path from the `conflictStrategies` rules (globs: src/core/glob.ts). */
import { matchesGlob, type StrategyName, type StrategyRule } from "../core/index.js";

/** The default chain when no rule matches: git's clean merge, then structured, then ask. */
export const DEFAULT_CHAIN: readonly StrategyName[] = ["merge", "structured", "manual"];

/** The strategy chain for a path: the first matching rule wins. */
export function chainFor(path: string, rules: readonly StrategyRule[]): readonly StrategyName[] {
  for (const rule of rules) if (matchesGlob(path, rule.glob)) return rule.strategies;
  return DEFAULT_CHAIN;
}

/**
 * How big a requirement is, and what that means in complexity and agent minutes. The weights are calibrated so
 * that one small command or endpoint with two acceptance criteria is about complexity 2 (10 minutes), and a
 * task never grows past complexity 4 unless a single requirement is that large on its own.
 */
import type { Requirement } from "./parser.js";

/** Words that make a requirement harder than its length suggests. */
const HARD = /\b(auth\w*|login|password|concurren\w*|lock\w*|sync\w*|search|pagination|paginat\w*|upload\w*|websocket\w*|real[- ]time|migration\w*|encrypt\w*|import|export|schedul\w*|recurr\w*|cache|caching|retr(y|ies)|transaction\w*|offline|atomic\w*|undo|drag|validat\w*)\b/gi;

/** Estimated agent minutes per complexity 1…5. */
export const MINUTES_BY_COMPLEXITY = [5, 10, 18, 30, 45] as const;

/** A task is split when its requirements weigh more than this… */
export const SPLIT_ABOVE = 4.8;
/** …into parts of at most this weight; and small neighbours are merged up to it. */
export const TARGET_WEIGHT = 3.5;
/** Neighbouring small sections merge only if together they stay under this weight. */
export const MERGE_CAP = 2.6;

export function requirementWeight(r: Requirement): number {
  const wordCount = r.text.split(/\s+/).length + r.acceptance.join(" ").split(/\s+/).length / 2;
  const hard = Math.min((`${r.text} ${r.acceptance.join(" ")}`.match(HARD) ?? []).length, 2);
  return 0.5 + 0.3 * r.acceptance.length + Math.min(wordCount / 30, 1.5) + 0.5 * hard + 0.2 * Math.min(r.details.length, 2);
}

export function complexityOf(weight: number): 1 | 2 | 3 | 4 | 5 {
  if (weight <= 1.5) return 1;
  if (weight <= 2.5) return 2;
  if (weight <= 3.6) return 3;
  if (weight <= 4.8) return 4;
  return 5;
}

export function minutesOf(complexity: number): number {
  return MINUTES_BY_COMPLEXITY[Math.min(Math.max(complexity, 1), 5) - 1] ?? 18;
}

/**
 * Cuts a list of weighted items into consecutive chunks of at most `target` weight each (a single heavier item
 * gets a chunk of its own). Consecutive, because specs put related items next to each other.
 */
export function packConsecutive<T>(items: readonly T[], weight: (item: T) => number, target: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let sum = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && sum + w > target) {
      chunks.push(current);
      current = [];
      sum = 0;
    }
    current.push(item);
    sum += w;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

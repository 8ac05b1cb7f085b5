/**
 * Priority words in specifications. Writers mix RFC 2119 keywords, MoSCoW, P0–P3 labels and plain words;
 * all map onto kappa's P0 (must / critical) … P3 (may / nice to have).
 */
import type { Priority } from "../core/index.js";

/** What a piece of text says about priority: a level, "excluded" (won't have / done), or nothing. */
export type PriorityMark = Priority | "excluded" | undefined;

const RULES: readonly [RegExp, PriorityMark][] = [
  [/\bwon'?t[- ]have\b|\bwill not (?:be )?(?:implement|build|support)/i, "excluded"],
  [/\bmust[- ]have\b/i, "P0"],
  [/\bshould[- ]have\b/i, "P1"],
  [/\bcould[- ]have\b/i, "P2"],
  [/\bnice[- ]to[- ]have\b|\bstretch goal\b|\bsomeday\b/i, "P3"],
  [/\b(?:critical|blocker|blocking|essential|mandatory)\b/i, "P0"],
  [/\bhigh[- ]priority\b|\bimportant\b/i, "P1"],
  [/\blow[- ]priority\b|^\s*optional\b|\(optional\)/i, "P2"],
  // Lower-case "optional" usually describes a field ("an optional note"); only the RFC 2119 capitals count.
  [/\bOPTIONAL\b/, "P2"],
  [/\b(?:MUST|SHALL|REQUIRED)\b|\b(?:must|shall)\b/i, "P0"],
  [/\b(?:SHOULD|RECOMMENDED)\b|\bshould\b/i, "P1"],
  [/\bcould\b/i, "P2"],
  // Lower-case "may" is ordinary English ("a todo may have tags"); only the RFC 2119 capitals count.
  [/\bMAY\b/, "P3"],
];

/** The strongest priority statement in `text`, checked in order of explicitness (labels before modal verbs). */
export function detectPriority(text: string): PriorityMark {
  const label = /(?:^|[\s[(])P([0-3])(?=$|[\s\]):,.])/.exec(text);
  if (label) return `P${label[1] as "0" | "1" | "2" | "3"}`;
  for (const [pattern, mark] of RULES) {
    if (mark !== undefined && pattern.test(text)) return mark;
  }
  return undefined;
}

/** Does the text carry an RFC 2119 / MoSCoW requirement keyword (used to pick requirements out of prose)? */
export function hasRequirementKeyword(text: string): boolean {
  if (/^\s*(?:note|e\.g\.|for example)\b/i.test(text)) return false;
  return /\b(?:must|shall|should|required|needs? to|has to|have to)\b/i.test(text) || /\bMAY\b/.test(text);
}

/** The most urgent of several priorities (P0 beats P3). */
export function strongestPriority(priorities: Iterable<Priority>, fallback: Priority = "P1"): Priority {
  let best: Priority | undefined;
  for (const p of priorities) if (best === undefined || p < best) best = p;
  return best ?? fallback;
}

/**
 * Priority words in specifications. Writers mix RFC 2119 keywords, MoSCoW, P0–P3 labels and plain words;
 * all map onto kappa's P0 (must / critical) … P3 (may / nice to have).
 *
 * Two strengths: a *label* states a priority on purpose ("P1", "(MAY)", "Must have", "nice to have"); a
 * *modal* verb inside a sentence ("the page must show…") says how firmly that sentence is meant. A requirement's
 * own label wins; otherwise its section's label sets the level, which the requirement's modal may lower but not
 * raise (a MUST inside a MAY section is part of an optional feature); otherwise its first modal verb counts.
 */
import type { Priority } from "../core/index.js";

/** What a piece of text says about priority: a level, "excluded" (won't have / done), or nothing. */
export type PriorityMark = Priority | "excluded" | undefined;

const P_LABEL = /(?:^|[\s[(])P([0-3])(?=$|[\s\]):,.—–-])/;

const LABELS: readonly [RegExp, PriorityMark][] = [
  [/\bwon'?t[- ]have\b|\bwill not (?:be )?(?:implement|build|support)/i, "excluded"],
  [/\bmust[- ]have\b/i, "P0"],
  [/\bshould[- ]have\b/i, "P1"],
  [/\bcould[- ]have\b/i, "P2"],
  [/\bnice[- ]to[- ]have\b|\bstretch goal\b|\bsomeday\b/i, "P3"],
  [/\b(?:critical|blocker|essential|mandatory)\b/i, "P0"],
  [/\bhigh[- ]priority\b/i, "P1"],
  [/\blow[- ]priority\b|^\s*optional\b|\(optional\)|\bOPTIONAL\b/i, "P2"],
  [/[([]\s*(?:MUST|SHALL|REQUIRED)\s*[)\]]|^\s*(?:MUST|SHALL)\s*[:—–-]/, "P0"],
  [/[([]\s*(?:SHOULD|RECOMMENDED)\s*[)\]]|^\s*SHOULD\s*[:—–-]/, "P1"],
  [/[([]\s*COULD\s*[)\]]|^\s*COULD\s*[:—–-]/, "P2"],
  [/[([]\s*MAY\s*[)\]]|^\s*MAY\s*[:—–-]/, "P3"],
];

/** A priority stated on purpose: P0–P3, MoSCoW, "(MAY)", "nice to have", "critical". */
export function labelPriority(text: string): PriorityMark {
  const label = P_LABEL.exec(text);
  if (label) return `P${label[1] as "0" | "1" | "2" | "3"}`;
  for (const [pattern, mark] of LABELS) if (pattern.test(text)) return mark;
  return undefined;
}

const MODALS: readonly [RegExp, Priority][] = [
  [/\b(?:MUST|SHALL|REQUIRED)\b|\b(?:must|shall)\b/gi, "P0"],
  [/\b(?:SHOULD|RECOMMENDED)\b|\bshould\b/gi, "P1"],
  [/\bcould\b/gi, "P2"],
];

/**
 * The first modal verb of a sentence: "A link MAY expire; then it MUST answer 410" is optional. Lower-case "may"
 * is ordinary English ("a todo may have tags") unless the whole spec writes its keywords in lower case.
 */
export function modalPriority(text: string, lowercaseKeywords = false): Priority | undefined {
  let best: { at: number; p: Priority } | undefined;
  const consider = (re: RegExp, p: Priority): void => {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m && (best === undefined || m.index < best.at)) best = { at: m.index, p };
  };
  for (const [re, p] of MODALS) consider(re, p);
  consider(lowercaseKeywords ? /\bmay\b/gi : /\bMAY\b/g, "P3");
  return (best as { p: Priority } | undefined)?.p;
}

/** The weaker of two priorities (P3 is weaker than P0). */
export function weakerPriority(a: Priority, b: Priority): Priority {
  return a > b ? a : b;
}

/** A leading priority label of a list item ("P0:", "[P1]", "MUST:", "Nice to have:"), to strip from its text. */
export const LEADING_LABEL = /^\s*(?:\[\s*(?:P[0-3]|MUST|SHOULD|MAY|COULD)\s*\]|\(\s*(?:P[0-3]|MUST|SHOULD|MAY|COULD)\s*\)|(?:P[0-3]|MUST|SHOULD|MAY|SHALL|COULD|must[- ]have|should[- ]have|could[- ]have|nice[- ]to[- ]have|optional)\s*[:—–-])\s*/i;

/** Priority marks inside a heading ("API (MUST)", "Data model [P0]", "P1 — Search", "Sync (optional)"). */
const HEADING_MARK = /\s*[([]\s*(?:P[0-3]|MUST|SHOULD|MAY|SHALL|COULD|REQUIRED|OPTIONAL|must[- ]have|should[- ]have|could[- ]have|nice[- ]to[- ]have|low[- ]priority|high[- ]priority)\s*[)\]]\s*|^\s*P[0-3]\s*[:—–-]\s*|\s*[—–-]\s*P[0-3]\s*$/gi;

/** A heading without its priority marks: what a task title should say. */
export function stripPriorityMarks(heading: string): string {
  const stripped = heading.replace(HEADING_MARK, " ").replace(/\s+/g, " ").trim();
  return stripped.length > 0 ? stripped : heading.trim();
}

/** A heading that says nothing but a priority ("Must have", "P1", "Nice to have", "Priority 2"): not a topic. */
export function isPriorityHeading(heading: string): boolean {
  return /^\s*(?:(?:must|should|could|won'?t)[- ]haves?|nice[- ]to[- ]haves?|p[0-3]|priority \d|optional|stretch goals?|(?:high|low|medium)[- ]priority)(?:\s*[:(—–-].*)?\s*$/i.test(heading);
}

/** Does the text carry an RFC 2119 / MoSCoW requirement keyword (used to pick requirements out of prose)? */
export function hasRequirementKeyword(text: string, lowercaseKeywords = false): boolean {
  if (/^\s*(?:note|e\.g\.|for example)\b/i.test(text)) return false;
  return /\b(?:must|shall|should|required|needs? to|has to|have to)\b/i.test(text) || (lowercaseKeywords ? /\bmay\b/i : /\bMAY\b/).test(text);
}

/** Whether a spec writes its RFC 2119 keywords in lower case only (then "may" is a keyword too). */
export function usesLowercaseKeywords(text: string): boolean {
  return !/\b(?:MUST|SHALL|SHOULD|MAY)\b/.test(text);
}

/** The most urgent of several priorities (P0 beats P3). */
export function strongestPriority(priorities: Iterable<Priority>, fallback: Priority = "P1"): Priority {
  let best: Priority | undefined;
  for (const p of priorities) if (best === undefined || p < best) best = p;
  return best ?? fallback;
}

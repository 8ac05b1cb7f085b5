/**
 * The proof every merged text must pass before a strategy may claim it (precision first: a result that fails is
 * refused, whatever produced it). No conflict markers; no block of two or more lines twice that neither side had
 * twice; where a maintained parser exists for the file type (JSON, YAML, JS/TS through the TypeScript compiler
 * API), the result parses when both sides do, and declares no top-level name more often than either side.
 */
import { hasConflictMarkers } from "./diff3.js";
import { hasParser, parsedSource } from "./source-parse.js";

export interface MergedText {
  path: string;
  ours: string;
  theirs: string;
  result: string;
}

/** Why the result cannot be claimed, or undefined when it passes every check. */
export async function refuseMergedText(m: MergedText): Promise<string | undefined> {
  if (hasConflictMarkers(m.result)) return "the result still holds conflict markers";
  const block = repeatedBlock(m.result, [m.ours, m.theirs]);
  if (block !== undefined) return `the result repeats a block neither side repeats (${JSON.stringify(block)})`;
  const [r, o, t] = await Promise.all([m.result, m.ours, m.theirs].map((text) => parsedSource(m.path, text)));
  if (!r && hasParser(m.path)) return "the parser for this file type is not installed, so the result cannot be checked";
  if (!r || !o || !t) return undefined;
  if (!r.parses && o.parses && t.parses) return `the result does not parse as ${r.language} while both sides do`;
  for (const [name, n] of r.topLevel) {
    if (n > 1 && n > Math.max(o.topLevel.get(name) ?? 0, t.topLevel.get(name) ?? 0)) return `the result declares ${name} ${n} times at the top level`;
  }
  return undefined;
}

const significant = (line: string): boolean => /[A-Za-z0-9_$]/.test(line);

function blocks(text: string): Map<string, number> {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i] as string;
    const b = lines[i + 1] as string;
    if (!significant(a) || !significant(b)) continue;
    const key = `${a}\n${b}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The first two-line block (blank lines and indentation ignored) the result has more often than every side. */
export function repeatedBlock(result: string, sides: readonly string[]): string | undefined {
  const sideCounts = sides.map(blocks);
  for (const [key, n] of blocks(result)) {
    if (n > 1 && sideCounts.every((c) => n > (c.get(key) ?? 0))) return key;
  }
  return undefined;
}

/**
 * A changelog whose both sides added new release sections at the top: both sections kept, newest version
 * first. Only for changelog files, only for pure insertions that consist of whole sections (each starts with a
 * heading that names a version), and only when the versions differ and share a major version.
 */
import type { ConflictRegion } from "../diff3.js";
import type { HunkContext, HunkOutcome } from "./text-hunks.js";

const CHANGELOG = /(?:^|\/)(?:change[-_]?log|changes|history|releases?|news)(?:\.(?:md|markdown|txt|rst))?$/i;

const VERSION = /\bv?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/;

function isHeading(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? "";
  const next = lines[i + 1] ?? "";
  return /^#{1,6}\s+\S/.test(line) || (line.trim() !== "" && /^(?:={3,}|-{3,})\s*$/.test(next));
}

interface Section {
  version: [number, number, number, string];
  lines: string[];
}

/** Splits inserted lines into sections that each start with a versioned heading, or undefined. */
function sections(lines: readonly string[]): Section[] | undefined {
  const out: Section[] = [];
  for (const [i, line] of lines.entries()) {
    if (isHeading(lines, i)) {
      const m = VERSION.exec(line);
      if (!m) return undefined;
      out.push({ version: [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ""], lines: [] });
    }
    const current = out[out.length - 1];
    if (!current) return undefined;
    current.lines.push(line);
  }
  return out.length > 0 ? out : undefined;
}

function compare(a: Section, b: Section): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.version[i] as number) - (b.version[i] as number);
    if (d !== 0) return d;
  }
  // A prerelease sorts before its release.
  const [pa, pb] = [a.version[3], b.version[3]];
  if (pa === pb) return 0;
  if (pa === "") return 1;
  if (pb === "") return -1;
  return pa < pb ? -1 : 1;
}

export function mergeChangelogSections(h: ConflictRegion, ctx: HunkContext): HunkOutcome {
  if (!CHANGELOG.test(ctx.path)) return { refuse: "not a changelog" };
  if (h.base.length > 0) return { refuse: "not new changelog sections: base lines changed" };
  const o = sections(h.ours);
  const t = sections(h.theirs);
  if (!o || !t) return { refuse: "not new changelog sections: an insertion that is not whole versioned sections" };
  const all = [...o, ...t];
  // Sections of two release lines (5.0.0-beta on one side, 4.17.x on the other) are a maintenance branch merged
  // into a development branch: people rewrite the top of the changelog then.
  if (new Set(all.map((s) => s.version[0])).size > 1) return { refuse: "new changelog sections of different major versions" };
  const ordered = [...all].sort((a, b) => compare(b, a));
  if (ordered.some((s, i) => i > 0 && compare(ordered[i - 1] as Section, s) === 0)) return { refuse: "both sides added a section for the same version" };
  // The new sections must precede every existing one: the spot is at the top of the release list.
  const earlier = ctx.before.some((_l, i) => isHeading(ctx.before, i) && VERSION.test(ctx.before[i] ?? ""));
  if (earlier) return { refuse: "new changelog sections below an existing release" };
  return { lines: ordered.flatMap((s) => s.lines), rule: "changelog sections" };
}

/**
 * The one version decision the structured strategy makes: of two dependency ranges, the higher — but only
 * when both are plain ranges (`^1.2.3`, `~1.2.3`, `1.2.3`) with the same operator and the same major (same
 * minor for 0.x), where picking the higher cannot break the other side's expectations. Anything else: refuse.
 */

interface Range {
  op: "^" | "~" | "";
  parts: [number, number, number];
}

function parseRange(text: string): Range | undefined {
  const m = /^([~^]?)(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  return { op: m[1] as Range["op"], parts: [Number(m[2]), Number(m[3]), Number(m[4])] };
}

function compare(a: Range, b: Range): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The higher of two compatible ranges, or undefined when choosing would be a guess. */
export function higherCompatibleRange(a: string, b: string): string | undefined {
  const ra = parseRange(a);
  const rb = parseRange(b);
  if (!ra || !rb) return undefined;
  if (ra.op !== rb.op) return undefined;
  if (ra.parts[0] !== rb.parts[0]) return undefined;
  if (ra.parts[0] === 0 && ra.parts[1] !== rb.parts[1]) return undefined;
  // An exact pin on different versions is a deliberate choice on each side: refuse.
  if (ra.op === "" && compare(ra, rb) !== 0) return undefined;
  if (ra.op === "~" && ra.parts[1] !== rb.parts[1]) return undefined;
  return compare(ra, rb) >= 0 ? a : b;
}

/** The higher of two plain versions (`1.2.3`, optional `v`, prereleases refused), or undefined. */
export function higherVersion(a: string, b: string): string | undefined {
  const ra = parseRange(a.replace(/^v/, ""));
  const rb = parseRange(b.replace(/^v/, ""));
  if (!ra || !rb || ra.op !== "" || rb.op !== "") return undefined;
  return compare(ra, rb) >= 0 ? a : b;
}

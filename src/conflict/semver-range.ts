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

/**
 * The higher of two versions (`1.2.3`, `v1.2.3`, `5.0.0-beta.1`), or undefined when it is not clear: not
 * versions, or the same release with two different prereleases (semver would rank `alpha.44-patch2` above
 * `alpha.45`, which is not what people mean).
 */
export function higherVersion(a: string, b: string): string | undefined {
  const parse = (v: string): { parts: [number, number, number]; pre: string } | undefined => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(v.trim());
    return m ? { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? "" } : undefined;
  };
  const va = parse(a);
  const vb = parse(b);
  if (!va || !vb) return undefined;
  const d = compare({ op: "", parts: va.parts }, { op: "", parts: vb.parts });
  if (d !== 0) return d > 0 ? a : b;
  if (va.pre === vb.pre) return a;
  if (va.pre === "" || vb.pre === "") return va.pre === "" ? a : b;
  return undefined;
}

/**
 * A line diff (Myers' O(ND) algorithm) used by the three-way merge. Pure: no git, so that the merge driver, the
 * detector and the benchmark share one alignment and unit tests need no repository.
 */

/** A change: `a[aStart, aStart+aLength)` was replaced by `b[bStart, bStart+bLength)`. */
export interface DiffHunk {
  aStart: number;
  aLength: number;
  bStart: number;
  bLength: number;
}

/**
 * Hunks turning `a` into `b`, in order; adjacent changes are coalesced so that two hunks of one diff are always
 * separated by at least one common line (the three-way merge relies on it).
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffHunk[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const aMid = a.slice(prefix, a.length - suffix);
  const bMid = b.slice(prefix, b.length - suffix);
  const matches = myersMatches(aMid, bMid);
  const hunks: DiffHunk[] = [];
  let ai = 0;
  let bi = 0;
  const push = (aEnd: number, bEnd: number): void => {
    if (aEnd > ai || bEnd > bi) hunks.push({ aStart: prefix + ai, aLength: aEnd - ai, bStart: prefix + bi, bLength: bEnd - bi });
  };
  for (const [ma, mb] of matches) {
    push(ma, mb);
    ai = ma + 1;
    bi = mb + 1;
  }
  push(aMid.length, bMid.length);
  return hunks;
}

/** Matched index pairs of a longest common subsequence (Myers, with a trace of the frontier per step). */
function myersMatches(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  // Intern lines as numbers: comparisons in the hot loop become integer compares.
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  const ai = Int32Array.from(a, intern);
  const bi = Int32Array.from(b, intern);
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    // Keep only the frontier's live window [-d-1, d+1]: memory O(D²) instead of O(D·(N+M)).
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && ai[x] === bi[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk the trace backwards collecting diagonal moves (matches).
  const matches: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const at = (j: number): number => vd[j + d + 1] ?? 0;
    const k = x - y;
    let prevK: number;
    if (d === 0) prevK = 0;
    else if (k === -d || (k !== d && at(k - 1) < at(k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    const startX = d === 0 ? 0 : prevK === k + 1 ? prevX : prevX + 1;
    const startY = startX - k;
    while (x > startX && y > startY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return matches.reverse();
}

/** Splits text into lines keeping each line's terminator, so that joining gives the text back byte for byte. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

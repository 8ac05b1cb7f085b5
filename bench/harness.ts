/**
 * Benchmarks are programs: each measures its figures against a baseline in the same run and returns them.
 * `npm run bench [-- <name>…] [--json [file]]`.
 */

export interface Figure {
  /** Metric id from the issue, e.g. "M5". */
  id: string;
  name: string;
  value: number;
  /** Unit for absolute figures ("ms", "MiB"); ratios have none. */
  unit?: string;
  goal?: { op: "<=" | ">="; target: number };
  /** Extra context printed after the figure. */
  note?: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run: (log: (line: string) => void) => Promise<Figure[]>;
}

export function formatFigure(f: Figure): string {
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value >= 100 ? 0 : f.value >= 10 ? 1 : 2);
  const goal = f.goal ? ` (goal ${f.goal.op} ${f.goal.target})` : "";
  const note = f.note ? ` [${f.note}]` : "";
  return `${f.id} ${f.name}: ${value}${f.unit ? ` ${f.unit}` : ""}${goal}${note}`;
}

export function meetsGoal(f: Figure): boolean {
  if (!f.goal) return true;
  return f.goal.op === "<=" ? f.value <= f.goal.target : f.value >= f.goal.target;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

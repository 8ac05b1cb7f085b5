/**
 * Plans for people and machines: a table, a Mermaid graph, the `--json` object and a forecast summary.
 * Pure string builders; the CLI decides where they go.
 */
import { printable, type Plan } from "../core/index.js";
import type { ResolvedPlan } from "./dependency-resolver.js";
import type { Forecast } from "./forecast.js";

const paint = (on: boolean, code: number) => (s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
// eslint-disable-next-line no-control-regex
const visible = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, "").length;

function columns(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? ""))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visible(c)))).join("  ").trimEnd()).join("\n");
}

/** One line of at most `max` characters, without the escapes and control characters a title may carry. */
function clip(text: string, max: number): string {
  const s = printable(text, { oneLine: true });
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** id, title, category, complexity, priority, depends on, wave; critical-path tasks marked with *. */
export function renderPlanTable(resolved: ResolvedPlan, color: boolean): string {
  const bold = paint(color, 1);
  const dim = paint(color, 2);
  const red = paint(color, 31);
  const critical = new Set(resolved.criticalPath);
  const rows: string[][] = [["wave", "id", "title", "category", "cx", "prio", "depends on"].map(bold)];
  const byWave = [...resolved.plan.tasks].sort((a, b) => (resolved.level[a.id] ?? 0) - (resolved.level[b.id] ?? 0));
  for (const t of byWave) {
    const id = critical.has(t.id) ? red(`*${t.id}`) : ` ${t.id}`;
    rows.push([String(resolved.level[t.id] ?? 0), id, clip(t.title, 48), t.category, String(t.complexity), t.priority, t.dependsOn.length > 0 ? t.dependsOn.join(", ") : dim("-")]);
  }
  return `${columns(rows)}\n${dim(`* critical path: ${resolved.criticalPath.join(" > ")}`)}`;
}

/** Mermaid flowchart of the task DAG (edges from dependency to dependent), one subgraph per wave. */
export function renderMermaid(plan: Plan): string {
  const lines = ["flowchart TD"];
  const label = (s: string): string => s.replace(/["<>]/g, (c) => ({ '"': "#quot;", "<": "#lt;", ">": "#gt;" })[c] ?? c);
  for (const t of plan.tasks) lines.push(`  ${t.id.replace(/-/g, "_")}["${label(`${t.id}: ${clip(t.title, 60)}`)}"]`);
  for (const t of plan.tasks) for (const d of t.dependsOn) lines.push(`  ${d.replace(/-/g, "_")} --> ${t.id.replace(/-/g, "_")}`);
  return lines.join("\n");
}

/** The `kappa plan --json` object, exactly as documented. */
export function planToJson(resolved: ResolvedPlan, forecast: Forecast): {
  tasks: { id: string; title: string; category: string; complexity: number; priority: string; dependsOn: string[]; files: string[]; acceptance: string[]; requirements: string[] }[];
  waves: string[][];
  criticalPath: string[];
  requirements: { id: string; text: string; priority: string }[];
  forecast: Forecast;
} {
  return {
    tasks: resolved.plan.tasks.map((t) => ({ id: t.id, title: t.title, category: t.category, complexity: t.complexity, priority: t.priority, dependsOn: t.dependsOn, files: t.files, acceptance: t.acceptance, requirements: t.requirements })),
    waves: resolved.waves,
    criticalPath: resolved.criticalPath,
    requirements: resolved.plan.requirements.map((r) => ({ id: r.id, text: r.text, priority: r.priority })),
    forecast,
  };
}

function minutes(m: number): string {
  return m >= 90 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`;
}

/** A few lines of forecast, for under the table. */
export function renderForecast(f: Forecast, color: boolean): string {
  const bold = paint(color, 1);
  const dim = paint(color, 2);
  return [
    `${bold("forecast")} (${f.tasks} tasks, ${f.sessions} sessions)`,
    `  makespan     ${minutes(f.makespanMinutes.dag)} critical-path-first (${f.speedup.dag}x), ${minutes(f.makespanMinutes.waves)} with wave barriers (${f.speedup.waves}x)`,
    `  serial       ${minutes(f.serialMinutes)}; critical path ${minutes(f.criticalPathMinutes)}`,
    `  tokens       ${(f.tokens.low / 1e6).toFixed(1)}M-${(f.tokens.high / 1e6).toFixed(1)}M, about $${f.costUsd.low.toFixed(2)}-$${f.costUsd.high.toFixed(2)}`,
    dim(`  assumptions: ${f.assumptions}`),
  ].join("\n");
}

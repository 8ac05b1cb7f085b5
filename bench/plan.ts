/**
 * M5 plan-growth-10k/1k: planning time of a generated spec with 10k requirements ÷ the same for 1k (goal <= 12,
 * i.e. close to linear), plus the absolute 10k time; CPU time of the best run.
 */
import { heuristicPlan } from "../src/decomposition/index.js";
import type { Benchmark } from "./harness.js";

/** A spec shaped like real ones: models, foundations, API resources, commands, pages, logic, tests, docs. */
export function generateSpec(requirements: number): string {
  const lines = ["# Generated service", "", "## Overview", "A generated specification for benchmarking the planner.", "", "## Tech stack", "- TypeScript on Node.js, Vitest for tests.", ""];
  let count = 1;
  const models = Math.max(2, Math.round(requirements / 40));
  lines.push("## Data model");
  for (let m = 0; m < models; m++) lines.push(`- \`Thing${m}\`: id, name, status, owner, created at${m > 0 ? `, parent Thing${m - 1}` : ""}`);
  count += models;
  lines.push("", "## Storage", "- Data MUST be stored in PostgreSQL with numbered migrations.", "- Writes SHOULD run in transactions.", "");
  count += 2;
  let section = 0;
  while (count < requirements - 3) {
    const kind = section % 4;
    const m = section % models;
    const size = 4 + (section % 5);
    if (kind === 0) lines.push(`## API resource ${section}`);
    else if (kind === 1) lines.push(`## Commands group ${section}`);
    else if (kind === 2) lines.push(`## Pages area ${section}`, `### Screen${section} page`);
    else lines.push(`## Rules engine ${section}`);
    for (let k = 0; k < size && count < requirements - 3; k++, count++) {
      if (kind === 0) lines.push(`- \`${["GET", "POST", "PATCH", "DELETE"][k % 4]} /res${section}/${k % 2 === 0 ? "" : ":id"}\` MUST handle Thing${m} records number ${k}, validating input and answering 404 for unknown ids.`);
      else if (kind === 1) lines.push(`- \`tool cmd${section}x${k} <arg>\` MUST update Thing${m} entries and print a summary; uses rules engine ${section - 2 >= 0 ? section - 2 : 3}.`);
      else if (kind === 2) lines.push(`- The screen${section} page SHOULD show Thing${m} items in a table with sorting, filter number ${k} and pagination.`);
      else lines.push(`- Rule ${k} MUST compute the score of a Thing${m} from its status and owner${k % 3 === 0 ? ", with caching" : ""}.`, `  - returns a number between 0 and 100`);
    }
    lines.push("");
    section++;
  }
  lines.push("## Testing", "- End-to-end tests MUST cover every resource.", "", "## Documentation", "- The README SHOULD describe every command.", "");
  return lines.join("\n");
}

/** Best CPU time (user + system) of `repeat` runs: on a shared machine wall time also measures the other users. */
function time(fn: () => void, repeat: number): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

export const planBenchmarks: Benchmark[] = [
  {
    name: "plan",
    description: "heuristic planning time for generated specs of 1k and 10k requirements",
    run(log) {
      const small = generateSpec(1_000);
      const large = generateSpec(10_000);
      heuristicPlan(small, {}); // warm up the JIT
      let tasks1k = 0;
      let tasks10k = 0;
      const t1k = time(() => { tasks1k = heuristicPlan(small, {}).tasks.length; }, 5);
      const t10k = time(() => { tasks10k = heuristicPlan(large, {}).tasks.length; }, 3);
      log(`1k requirements: ${tasks1k} tasks in ${t1k.toFixed(0)} ms; 10k requirements: ${tasks10k} tasks in ${t10k.toFixed(0)} ms`);
      return Promise.resolve([
        { id: "M5", name: "plan-growth-10k/1k", value: t10k / t1k, goal: { op: "<=", target: 12 }, note: `${tasks1k} → ${tasks10k} tasks` },
        { id: "M5", name: "plan-10k-time", value: Math.round(t10k), unit: "ms", note: "CPU" },
      ]);
    },
  },
];

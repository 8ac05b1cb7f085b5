/** Runs named benchmarks: `npm run bench [-- <name>…] [--json [file]]`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { formatFigure, meetsGoal, type Benchmark, type Figure } from "./harness.js";
import { benchmarks } from "./registry.js";

const args = process.argv.slice(2);
const jsonIndex = args.indexOf("--json");
let jsonFile: string | undefined;
if (jsonIndex >= 0) {
  const next = args[jsonIndex + 1];
  jsonFile = next && !next.startsWith("-") && !benchmarks.some((b) => b.name === next) ? next : "bench/results/latest.json";
  args.splice(jsonIndex, next === jsonFile ? 2 : 1);
}
const unknown = args.filter((a) => !benchmarks.some((b) => b.name === a));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(", ")}; available: ${benchmarks.map((b) => b.name).join(", ")}\n`);
  process.exit(2);
}
const selected: Benchmark[] = args.length > 0 ? benchmarks.filter((b) => args.includes(b.name)) : benchmarks;
const results: { benchmark: string; figures: Figure[]; error?: string }[] = [];
let failed = false;
for (const bench of selected) {
  process.stderr.write(`# ${bench.name}: ${bench.description}\n`);
  try {
    const figures = await bench.run((line) => process.stderr.write(`  ${line}\n`));
    for (const f of figures) process.stdout.write(`${formatFigure(f)}${meetsGoal(f) ? "" : "  <-- misses goal"}\n`);
    results.push({ benchmark: bench.name, figures });
  } catch (error) {
    failed = true;
    process.stderr.write(`${bench.name} failed: ${(error as Error).stack ?? String(error)}\n`);
    results.push({ benchmark: bench.name, figures: [], error: String(error) });
  }
}
if (jsonFile) {
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  process.stderr.write(`results written to ${jsonFile}\n`);
}
process.exitCode = failed ? 1 : 0;

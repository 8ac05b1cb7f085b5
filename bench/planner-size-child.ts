/**
 * Child of bench/planner-size.ts: plans one generated spec of argv[2] bytes argv[3] times, prints the best time
 * and CPU time (the machine is shared: the best run, and CPU rather than wall time, are the planner's own cost)
 * and the peak memory above the baseline as JSON.
 */
import { heuristicPlan } from "../src/decomposition/index.js";
import { generateProseSpec } from "./prose-spec.js";

const bytes = Number(process.argv[2] ?? "1000000");
const spec = generateProseSpec(bytes);
heuristicPlan(generateProseSpec(20_000), {}); // warm up the JIT
const repeat = Number(process.argv[3] ?? "1");
const before = process.memoryUsage().rss;
let ms = Infinity;
let cpuMs = Infinity;
let tasks = 0;
for (let i = 0; i < repeat; i++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  tasks = heuristicPlan(spec, {}).tasks.length;
  const used = process.cpuUsage(cpu);
  ms = Math.min(ms, performance.now() - start);
  cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
}
const peakMiB = (process.resourceUsage().maxRSS * 1024 - before) / 2 ** 20;
process.stdout.write(JSON.stringify({ bytes: spec.length, ms, cpuMs, peakMiB: Math.max(peakMiB, 0), tasks }));

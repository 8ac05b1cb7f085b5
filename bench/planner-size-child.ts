/** Child of bench/planner-size.ts: plans one generated spec of argv[2] bytes, prints time and peak memory as JSON. */
import { heuristicPlan } from "../src/decomposition/index.js";
import { generateProseSpec } from "./prose-spec.js";

const bytes = Number(process.argv[2] ?? "1000000");
const spec = generateProseSpec(bytes);
heuristicPlan(generateProseSpec(20_000), {}); // warm up the JIT
const before = process.memoryUsage().rss;
const start = performance.now();
const plan = heuristicPlan(spec, {});
const ms = performance.now() - start;
const peakMiB = (process.resourceUsage().maxRSS * 1024 - before) / 2 ** 20;
process.stdout.write(JSON.stringify({ bytes: spec.length, ms, peakMiB: Math.max(peakMiB, 0), tasks: plan.tasks.length }));

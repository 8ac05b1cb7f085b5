import type { Benchmark } from "./harness.js";
import { planBenchmarks } from "./plan.js";
import { plannerBenchmarks } from "./planner.js";
import { sessionsBenchmarks } from "./sessions.js";
import { mergeBenchmarks } from "./merge.js";
import { mergeDriverBenchmarks } from "./merge-driver.js";
import { pipelineBenchmarks } from "./pipeline.js";
import { scheduleBenchmarks } from "./schedule.js";
import { isolationBenchmarks } from "./isolation.js";

/** Every benchmark, by name: `npm run bench -- <name>`. */
export const benchmarks: Benchmark[] = [
  ...planBenchmarks,
  ...plannerBenchmarks,
  ...scheduleBenchmarks,
  ...sessionsBenchmarks,
  ...pipelineBenchmarks,
  ...mergeBenchmarks,
  ...mergeDriverBenchmarks,
  ...isolationBenchmarks,
];

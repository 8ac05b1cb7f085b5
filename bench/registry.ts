import type { Benchmark } from "./harness.js";
import { planBenchmarks } from "./plan.js";
import { sessionsBenchmarks } from "./sessions.js";
import { mergeBenchmarks } from "./merge.js";
import { pipelineBenchmarks } from "./pipeline.js";
import { scheduleBenchmarks } from "./schedule.js";
import { isolationBenchmarks } from "./isolation.js";

/** Every benchmark, by name: `npm run bench -- <name>`. */
export const benchmarks: Benchmark[] = [...planBenchmarks, ...scheduleBenchmarks, ...sessionsBenchmarks, ...pipelineBenchmarks, ...mergeBenchmarks, ...isolationBenchmarks];

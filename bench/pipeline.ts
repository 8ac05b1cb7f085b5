import type { Benchmark } from "./harness.js";

/** Placeholder: replaced by the owner of this benchmark. */
export const pipelineBenchmarks: Benchmark[] = [];

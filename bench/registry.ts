import type { Benchmark } from "./harness.js";

/** Every benchmark, by name. Add new ones here. */
export const benchmarks: Benchmark[] = [];

/**
 * M1 makespan/lower-bound: critical-path-first scheduling on 200 random heterogeneous DAGs with simulated
 * durations and N=8 sessions; median of makespan ÷ max(critical path, total work / N) (goal <= 1.05).
 * M1b waves/dag: median makespan with wave barriers ÷ makespan with dependency-driven scheduling (goal >= 1.25).
 * Pure simulation of the same policy the run-time scheduler uses (src/decomposition/schedule.ts).
 */
import type { Plan, PlannedTask } from "../src/core/index.js";
import { resolvePlan, simulateSchedule, type ResolvedPlan } from "../src/decomposition/index.js";
import { median, type Benchmark } from "./harness.js";

const SESSIONS = 8;
const GRAPHS = 200;
const MINUTES = [5, 10, 18, 30, 45] as const;

/** Deterministic PRNG (mulberry32) so that every run measures the same graphs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A plan shaped like real ones: a scaffold, then layers of varying width whose tasks depend on 1-3 tasks of
 * earlier layers, complexities skewed towards small tasks; and actual durations that deviate from the
 * estimates (log-normal noise), because agents never take exactly the estimated time.
 */
export function randomDag(seed: number): { resolved: ResolvedPlan; durations: Record<string, number> } {
  const random = rng(seed);
  const n = 40 + Math.floor(random() * 160);
  const tasks: PlannedTask[] = [];
  const durations: Record<string, number> = {};
  const layers: string[][] = [["t0"]];
  const make = (id: string, dependsOn: string[]): void => {
    const complexity = Math.min(5, 1 + Math.floor(-Math.log(1 - random() * 0.95) * 1.3));
    const estimate = MINUTES[complexity - 1] ?? 18;
    tasks.push({ id, title: id, prompt: id, category: "logic", complexity, priority: (["P0", "P1", "P2"] as const)[Math.floor(random() * 3)] ?? "P1", estimateMinutes: estimate, dependsOn, files: [], acceptance: [], requirements: [] });
    const noise = Math.exp((random() + random() + random() - 1.5) * 0.6);
    durations[id] = Math.max(1, Math.round(estimate * noise));
  };
  make("t0", []);
  let i = 1;
  while (i < n) {
    const width = 1 + Math.floor(random() * 14);
    const layer: string[] = [];
    for (let k = 0; k < width && i < n; k++, i++) {
      const id = `t${i}`;
      const deps = new Set<string>();
      const count = 1 + Math.floor(random() * 3);
      for (let d = 0; d < count; d++) {
        // Mostly the previous layer, sometimes further back.
        const back = random() < 0.7 ? 1 : 1 + Math.floor(random() * Math.min(layers.length, 4));
        const from = layers[layers.length - back] ?? layers[0] ?? ["t0"];
        deps.add(from[Math.floor(random() * from.length)] ?? "t0");
      }
      make(id, [...deps]);
      layer.push(id);
    }
    layers.push(layer);
  }
  const plan: Plan = { version: 1, name: `dag-${seed}`, requirements: [], tasks };
  return { resolved: resolvePlan(plan), durations };
}

/** Longest path under the actual durations. */
function criticalPath(resolved: ResolvedPlan, durations: Record<string, number>): number {
  const finish: Record<string, number> = {};
  let best = 0;
  for (const id of resolved.order) {
    const start = Math.max(0, ...(resolved.tasks[id]?.dependsOn ?? []).map((d) => finish[d] ?? 0));
    finish[id] = start + (durations[id] ?? 0);
    best = Math.max(best, finish[id] ?? 0);
  }
  return best;
}

export const scheduleBenchmarks: Benchmark[] = [
  {
    name: "schedule",
    description: `critical-path-first vs lower bound and vs wave barriers, ${GRAPHS} random DAGs, N=${SESSIONS}`,
    run(log) {
      const ratios: number[] = [];
      const wavesOverDag: number[] = [];
      let tasks = 0;
      const start = performance.now();
      for (let g = 0; g < GRAPHS; g++) {
        const { resolved, durations } = randomDag(1000 + g);
        tasks += resolved.plan.tasks.length;
        const work = Object.values(durations).reduce((s, d) => s + d, 0);
        const bound = Math.max(criticalPath(resolved, durations), work / SESSIONS);
        const dag = simulateSchedule(resolved, durations, SESSIONS, "dag").makespan;
        const waves = simulateSchedule(resolved, durations, SESSIONS, "waves").makespan;
        ratios.push(dag / bound);
        wavesOverDag.push(waves / dag);
      }
      log(`${GRAPHS} DAGs, ${tasks} tasks, simulated in ${(performance.now() - start).toFixed(0)} ms; worst makespan/bound ${Math.max(...ratios).toFixed(3)}`);
      return Promise.resolve([
        { id: "M1", name: "makespan/lower-bound", value: median(ratios), goal: { op: "<=", target: 1.05 }, note: `median of ${GRAPHS} DAGs, N=${SESSIONS}` },
        { id: "M1b", name: "waves/dag", value: median(wavesOverDag), goal: { op: ">=", target: 1.25 }, note: "median makespan ratio" },
      ]);
    },
  },
];

/**
 * Plan cost against spec size: generated specs of realistic prose (paragraphs with dependency phrases, RFC
 * words, lists, tables, nested headings) of 100 KB, 1 MB and 5 MB, each planned in a child process of its own
 * so that its peak memory can be read (best of a few runs for time).
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Figure } from "./harness.js";

const CHILD = resolve(import.meta.dirname, "planner-size-child.ts");

interface Measured { bytes: number; ms: number; cpuMs: number; peakMiB: number; tasks: number }

function measure(bytes: number, repeat: number): Measured {
  const out = execFileSync(process.execPath, ["--import", "tsx", CHILD, String(bytes), String(repeat)], { encoding: "utf8", maxBuffer: 1024 * 1024 });
  return JSON.parse(out) as Measured;
}

export function sizeFigures(log: (line: string) => void): Promise<Figure[]> {
  const [small, medium, large] = [measure(100_000, 5), measure(1_000_000, 3), measure(5_000_000, 2)] as [Measured, Measured, Measured];
  for (const m of [small, medium, large]) log(`${(m.bytes / 1e6).toFixed(1)} MB prose spec: ${m.tasks} tasks in ${m.cpuMs.toFixed(0)} ms of CPU (${m.ms.toFixed(0)} ms wall), peak ${m.peakMiB.toFixed(0)} MiB above the baseline`);
  // CPU time, because the wall time of a shared machine measures its other users too.
  return Promise.resolve([
    { id: "P5", name: "plan-1mb-time", value: Math.round(medium.cpuMs), unit: "ms", goal: { op: "<=", target: 2000 }, note: `CPU; ${Math.round(medium.ms)} ms wall` },
    { id: "P5", name: "plan-1mb-memory", value: Math.round(medium.peakMiB), unit: "MiB", goal: { op: "<=", target: 300 } },
    { id: "P5", name: "plan-growth-5mb/1mb", value: large.cpuMs / medium.cpuMs, goal: { op: "<=", target: 6 }, note: `CPU; 100 KB: ${small.cpuMs.toFixed(0)} ms, 5 MB: ${large.cpuMs.toFixed(0)} ms` },
    { id: "P5", name: "plan-5mb-memory", value: Math.round(large.peakMiB), unit: "MiB" },
  ]);
}

/**
 * `npm run bench -- merge-driver`: how fast `kappa merge-driver` starts and merges, as git runs it (compiled
 * JavaScript under node, one process per file). Builds src/ with tsc into a temporary directory (its
 * node_modules a link to the repository's), then
 * times, median of 20 each: bare `node` (the floor), the driver on a one-line clean merge (startup), the driver
 * on real conflicting cases of bench/cases/ (per file), and the full CLI program (`kappa --version`) as the cost
 * the driver used to pay.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median, type Benchmark } from "./harness.js";

const ROOT = resolve(import.meta.dirname, "..");
const RUNS = 20;

function build(out: string): string {
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", join(out, "dist")], { cwd: ROOT, stdio: "inherit" });
  cpSync(join(ROOT, "src/workspace/git-spawner.mjs"), join(out, "dist/workspace/git-spawner.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"));
  return join(out, "dist/cli/main.js");
}

function timed(args: readonly string[]): { ms: number; code: number | null } {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: "ignore" });
  return { ms: performance.now() - started, code: r.status };
}

/** One merge per run, on fresh copies (the driver writes its result into the ours file). */
function driverRun(main: string, dir: string, path: string, base: string, ours: string, theirs: string): { ms: number; code: number | null } {
  writeFileSync(join(dir, "o"), base);
  writeFileSync(join(dir, "a"), ours);
  writeFileSync(join(dir, "b"), theirs);
  return timed([main, "merge-driver", join(dir, "o"), join(dir, "a"), join(dir, "b"), path]);
}

export const mergeDriverBenchmarks: Benchmark[] = [
  {
    name: "merge-driver",
    description: "kappa merge-driver startup and per-file time under node (median of 20)",
    run(log) {
      const dir = mkdtempSync(join(tmpdir(), "kappa-mdb-"));
      try {
        const main = build(dir);
        const floor = median(Array.from({ length: RUNS }, () => timed(["-e", "0"]).ms));
        const startup = Array.from({ length: RUNS }, () => driverRun(main, dir, "a.txt", "a\nb\n", "a\nb\nc\n", "x\na\nb\n"));
        if (startup.some((r) => r.code !== 0)) throw new Error("the merge driver failed on a clean merge");
        const program = median(Array.from({ length: RUNS }, () => timed([main, "--version"]).ms));
        const casesDir = join(ROOT, "bench/cases");
        const names = existsSync(casesDir) ? readdirSync(casesDir).slice(0, 400) : [];
        const perFile: number[] = [];
        for (const name of names) {
          if (perFile.length >= RUNS) break;
          const at = (f: string): string => readFileSync(join(casesDir, name, f), "utf8");
          const r = driverRun(main, dir, at("path").trim(), at("base"), at("ours"), at("theirs"));
          if (r.code === 0 || r.code === 1) perFile.push(r.ms);
        }
        const start = median(startup.map((r) => r.ms));
        const fastest = Math.min(...startup.map((r) => r.ms));
        log(`node alone ${floor.toFixed(0)} ms; driver on a one-line merge ${start.toFixed(0)} ms; full program (--version) ${program.toFixed(0)} ms; per real case ${perFile.length > 0 ? median(perFile).toFixed(0) : "-"} ms (${perFile.length} cases)`);
        return Promise.resolve([
          { id: "MD1", name: "merge-driver startup (one-line clean merge)", value: start, unit: "ms", goal: { op: "<=", target: 150 }, note: `fastest of ${RUNS}: ${fastest.toFixed(0)} ms; node alone: ${floor.toFixed(0)} ms; the full CLI program: ${program.toFixed(0)} ms` },
          { id: "MD3", name: "merge-driver startup over node's own", value: start - floor, unit: "ms", note: "the part kappa controls; the machine's load moves both" },
          { id: "MD2", name: "merge-driver per file (real cases)", value: perFile.length > 0 ? median(perFile) : 0, unit: "ms", note: `${perFile.length} cases of bench/cases` },
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

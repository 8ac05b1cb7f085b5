/**
 * Pipeline benchmark (issue 5).
 *
 * M2 overhead/raw-git = per-task wall time of a whole kappa run (worktree, checkpoint, commit, merge, database)
 *   with an instant in-memory driver ÷ per-task wall time of `bench/pipeline-baseline.sh`, which does the same
 *   tasks' git work by hand: `git worktree add -b`, write the file, `git add` + `git commit`, then one merge at a
 *   time `git merge-tree --write-tree` + `git commit-tree` (two parents) + `git update-ref`, then `git worktree
 *   remove`. Both sides run N independent tasks (each writes its own file) in a fresh temp repository, PARALLEL
 *   tasks at once (kappa: maxParallel; baseline: `xargs -P`), merges serial on both sides (kappa's merge mutex,
 *   the baseline's flock). REPS repetitions, alternating which goes first, after one warm-up of each; the figure
 *   is the median of each repetition's kappa/baseline ratio. Goal <= 1.5.
 * KAPPA_BENCH_PROFILE=1 adds one instrumented kappa run and logs where its time goes (port calls, database).
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { EventBus, Scrubber, loadConfig, silentLogger, type Plan, type PlannedTask } from "../src/core/index.js";
import { createRun, Mutex, RunControl, startRun, type RunPorts } from "../src/graph/index.js";
import { openDatabase, type Database } from "../src/knowledge/index.js";
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from "../test/helpers/db.js";
import { FakeDriver, type FakeTaskScript } from "../src/sessions/fake-driver.js";
import { median, type Benchmark, type Figure } from "./harness.js";

const TASKS = 40;
const PARALLEL = 4;
const REPS = 5;
const BASELINE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "pipeline-baseline.sh");
const IDENTITY = { GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@localhost", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@localhost" };

function taskId(i: number): string {
  return `task-${String(i + 1).padStart(3, "0")}`;
}

function plannedTask(id: string): PlannedTask {
  return { id, title: `Write ${id}.txt`, prompt: `Create ${id}.txt.`, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [`${id}.txt`], acceptance: [], requirements: [] };
}

function tempRepo(root: string, name: string): string {
  const dir = join(root, name);
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  writeFileSync(join(dir, "README.md"), "# bench\n");
  execFileSync("git", ["add", "-A"], { cwd: dir });
  execFileSync("git", ["commit", "-q", "-m", "initial"], { cwd: dir, env: { ...process.env, ...IDENTITY } });
  return dir;
}

function fileCount(repo: string, ref: string): number {
  return execFileSync("git", ["ls-tree", "--name-only", ref], { cwd: repo, encoding: "utf8" }).split("\n").filter((l) => l.endsWith(".txt")).length;
}

/** Wall time (ms) of the baseline script for `tasks` tasks in a fresh repository. */
async function baseline(root: string, name: string, tasks: number): Promise<number> {
  const repo = tempRepo(root, name);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn("bash", [BASELINE_SCRIPT, repo, String(tasks), String(PARALLEL), join(root, `${name}-worktrees`)], {
      env: { ...process.env, ...IDENTITY },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`baseline exited ${code ?? "?"}: ${err.slice(-500)}`))));
  });
  const ms = performance.now() - started;
  const files = fileCount(repo, "baseline/main");
  if (files !== tasks) throw new Error(`baseline merged ${files} of ${tasks} files`);
  return ms;
}

/** Per-call timing of the ports and of every database query, for the profile. */
interface Profile {
  calls: Map<string, { n: number; ms: number }>;
  /** kappa's own process (not its git children): CPU time and how busy its event loop was. */
  process?: { cpuMs: number; systemMs: number; rssMiB: number; eventLoop: number };
}

function record(profile: Profile, key: string, ms: number): void {
  const entry = profile.calls.get(key) ?? { n: 0, ms: 0 };
  entry.n += 1;
  entry.ms += ms;
  profile.calls.set(key, entry);
}

function timedPorts(ports: RunPorts, profile: Profile): RunPorts {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(ports) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        record(profile, `port ${name}`, performance.now() - started);
      }
    };
  }
  return wrapped as unknown as RunPorts;
}

/** Times how long the merge mutex is held (the serial part of every task). */
function timedMutex(mutex: Mutex, profile: Profile): Mutex {
  const timed = new Mutex();
  timed.run = <T>(fn: () => Promise<T>): Promise<T> =>
    mutex.run(async () => {
      const started = performance.now();
      try {
        return await fn();
      } finally {
        record(profile, "merge mutex held", performance.now() - started);
      }
    });
  return timed;
}

/** Times every `pool.query` (by its first words) and every checked-out client's queries (the checkpointer). */
function timeQueries(pool: pg.Pool, profile: Profile): () => void {
  const label = (text: unknown): string => {
    const sql = typeof text === "string" ? text : ((text as { text?: string } | undefined)?.text ?? "?");
    return `db ${sql.replace(/\s+/g, " ").trim().split(" ").slice(0, 4).join(" ").slice(0, 60)}`;
  };
  type Queryable = { query: (...args: unknown[]) => unknown };
  const wrapQuery = (target: Queryable): (() => void) => {
    const original = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      const started = performance.now();
      const result = original(...args);
      if (result instanceof Promise) {
        return result.finally(() => record(profile, label(args[0]), performance.now() - started));
      }
      return result;
    };
    return () => {
      target.query = original;
    };
  };
  const restorePool = wrapQuery(pool);
  const onConnect = (client: pg.PoolClient): void => {
    wrapQuery(client);
  };
  pool.on("connect", onConnect);
  return () => {
    restorePool();
    pool.off("connect", onConnect);
  };
}

/** Wall time (ms) of one kappa run of `tasks` instant tasks in a fresh repository. */
async function kappa(db: Database, root: string, name: string, tasks: number, profile?: Profile): Promise<number> {
  const repo = tempRepo(root, name);
  const ids = Array.from({ length: tasks }, (_, i) => taskId(i));
  const plan: Plan = { version: 1, name: "bench", requirements: [], tasks: ids.map(plannedTask) };
  const scripts: Record<string, FakeTaskScript> = Object.fromEntries(ids.map((id) => [id, [{ files: { [`${id}.txt`]: `written by ${id}\n` } }]]));
  const runId = `bench-${randomBytes(4).toString("hex")}`;
  await createRun({ db, repo, runId, plan, options: { maxParallel: PARALLEL, schedule: "dag", simulate: "bench" } });
  const config = loadConfig({ projectDir: repo, env: {} }).config;
  const restore = profile ? timeQueries(db.pool, profile) : () => undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  try {
    const result = await startRun({
      db,
      config,
      bus: new EventBus(),
      logger: silentLogger(),
      scrubber: new Scrubber([]),
      repo,
      runId,
      driver: new FakeDriver({ tasks: scripts }),
      accounts: [{ name: "fake", apiKey: undefined, baseUrl: undefined, model: "m", simulated: true }],
      control: new RunControl(),
      instrument: profile ? (services) => ({ ...services, ports: timedPorts(services.ports, profile), mergeMutex: timedMutex(services.mergeMutex, profile) }) : undefined,
    });
    const ms = performance.now() - started;
    if (profile) {
      const used = process.cpuUsage(cpu);
      profile.process = { cpuMs: (used.user + used.system) / 1000, systemMs: used.system / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20, eventLoop: performance.eventLoopUtilization(elu).utilization };
    }
    if (result.kind !== "finished" || result.summary.status !== "completed") throw new Error(`kappa run ended ${result.kind === "finished" ? result.summary.status : `${result.kind}: ${result.kind === "stopped" ? result.reason : ""}`}`);
    if (result.summary.merged.length !== tasks) throw new Error(`kappa merged ${result.summary.merged.length} of ${tasks} tasks`);
    const files = fileCount(repo, `kappa/${runId}/main`);
    if (files !== tasks) throw new Error(`kappa's integration branch has ${files} of ${tasks} files`);
    return ms;
  } finally {
    restore();
  }
}

function logProfile(profile: Profile, wallMs: number, log: (line: string) => void): void {
  log(`profile of one kappa run (${TASKS} tasks, ${Math.round(wallMs)} ms wall, ${(wallMs / TASKS).toFixed(1)} ms/task); summed call time per task (calls overlap up to ${PARALLEL}×):`);
  const rows = [...profile.calls.entries()].sort((a, b) => b[1].ms - a[1].ms);
  if (profile.process) log(`  kappa process: ${(profile.process.cpuMs / TASKS).toFixed(1)} ms CPU/task (${(profile.process.systemMs / TASKS).toFixed(1)} in the kernel), ${Math.round(profile.process.rssMiB)} MiB resident, event loop busy ${(profile.process.eventLoop * 100).toFixed(0)}% of the run`);
  const total = (prefix: string): number => rows.filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v.ms, 0);
  log(`  ports ${(total("port") / TASKS).toFixed(1)} ms/task, database ${(total("db") / TASKS).toFixed(1)} ms/task (${rows.filter(([k]) => k.startsWith("db")).reduce((s, [, v]) => s + v.n, 0) / TASKS} queries/task)`);
  for (const [key, { n, ms }] of rows.slice(0, 16)) log(`  ${key}: ${(ms / TASKS).toFixed(2)} ms/task, ${n} calls, ${(ms / n).toFixed(2)} ms/call`);
}

async function overhead(log: (line: string) => void): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), "kappa-bench-m2-"));
  const schema = uniqueSchema("bench");
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, pgDir: join(root, "pg"), schema, logger: silentLogger() });
  const kappaMs: number[] = [];
  const baseMs: number[] = [];
  try {
    // One full-size warm-up of each (the first kappa run pays for JIT, pool connections and LangGraph's tables).
    await baseline(root, "warm-baseline", TASKS);
    await kappa(db, root, "warm-kappa", TASKS);
    for (let i = 0; i < REPS; i += 1) {
      // Alternate which side goes first, so that neither always runs on a warmer machine.
      if (i % 2 === 0) {
        kappaMs.push(await kappa(db, root, `kappa-${i}`, TASKS));
        baseMs.push(await baseline(root, `baseline-${i}`, TASKS));
      } else {
        baseMs.push(await baseline(root, `baseline-${i}`, TASKS));
        kappaMs.push(await kappa(db, root, `kappa-${i}`, TASKS));
      }
      log(`rep ${i + 1}: kappa ${Math.round(kappaMs[i] ?? 0)} ms, raw git ${Math.round(baseMs[i] ?? 0)} ms (${TASKS} tasks, ${PARALLEL} at once)`);
    }
    if (process.env.KAPPA_BENCH_PROFILE === "1") {
      const profile: Profile = { calls: new Map() };
      const wall = await kappa(db, root, "kappa-profile", TASKS, profile);
      logProfile(profile, wall, log);
    }
  } finally {
    await db.close();
    await dropSchema(schema);
    rmSync(root, { recursive: true, force: true });
  }
  const kappaPerTask = median(kappaMs) / TASKS;
  const basePerTask = median(baseMs) / TASKS;
  // Each repetition's two runs are back to back, so their ratio sees the same machine; the median of those
  // ratios is steadier than a ratio of medians when other work on the machine comes and goes.
  const ratio = median(kappaMs.map((k, i) => k / (baseMs[i] ?? Number.NaN)));
  const setup = `${TASKS} independent tasks, ${PARALLEL} at once, serial merges; median of ${REPS} paired ratios`;
  return [
    { id: "M2", name: "overhead/raw-git", value: ratio, goal: { op: "<=", target: 1.5 }, note: `kappa ${kappaPerTask.toFixed(1)} ms/task vs raw git ${basePerTask.toFixed(1)} ms/task (medians); ${setup}` },
    { id: "M2a", name: "kappa per task", value: kappaPerTask, unit: "ms", note: "instant in-memory driver; worktree, commit, merge, checkpoints, database" },
    { id: "M2b", name: "raw git per task", value: basePerTask, unit: "ms", note: "bench/pipeline-baseline.sh: worktree add, commit, merge-tree, commit-tree, update-ref, worktree remove" },
  ];
}

export const pipelineBenchmarks: Benchmark[] = [
  { name: "pipeline", description: "M2: kappa's per-task orchestration overhead (instant driver) vs the same git work in a shell script", run: overhead },
];

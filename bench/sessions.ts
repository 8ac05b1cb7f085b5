/**
 * Session benchmarks, through the real Claude Code CLI against kappa's simulated model (127.0.0.1 only).
 *
 * M3 session-overhead = median wall time of one task run through kappa's pool with ClaudeDriver
 *   ÷ median wall time of the bare CLI (`claude -p … --output-format json`) on the same task, same simulator,
 *   interleaved in the same run (goal <= 1.10).
 * M4 parallel-efficiency = T1 / (8 · T8), where Tn is the wall time to finish 16 independent tasks (each in
 *   its own repository, generic simulated behaviour, 5 s simulated latency per model turn) with a pool of n
 *   sessions. 1.0 means 8 sessions are exactly 8× faster than one; the goal is >= 0.85.
 * Also: peak RSS of one session (the CLI process and its children) and of kappa itself (VmHWM, which includes
 * the in-process simulator). KAPPA_BENCH_FAST=1 uses 1 s latency instead of 5 s.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { EventBus, Scrubber, silentLogger, processEnvironment, type PlannedTask } from "../src/core/index.js";
import { ClaudeDriver } from "../src/sessions/claude-driver.js";
import { buildClaudeEnv, prepareSessionDirs } from "../src/sessions/claude-env.js";
import { findClaudeExecutable } from "../src/sessions/claude-executable.js";
import { SessionPool } from "../src/sessions/index.js";
import { startSimulator, type ScenarioInput } from "../src/simulator/index.js";
import { median, type Benchmark, type Figure } from "./harness.js";

const FAST = process.env.KAPPA_BENCH_FAST === "1";

function task(id: string): PlannedTask {
  return { id, title: `Create ${id}`, prompt: `Create the module ${id}.`, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };
}

function tempRepo(root: string, name: string): string {
  const dir = join(root, name);
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  writeFileSync(join(dir, "README.md"), "# bench\n");
  writeFileSync(join(dir, "TASKS.md"), "# Tasks\n");
  const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
  execFileSync("git", ["add", "-A"], { cwd: dir, env });
  execFileSync("git", ["commit", "-q", "-m", "initial"], { cwd: dir, env });
  return dir;
}

function makePool(driver: ClaudeDriver, baseUrl: string, maxParallel: number): SessionPool {
  return new SessionPool({
    driver,
    accounts: [{ name: "bench", apiKey: "sk-simulated-bench", baseUrl, model: "claude-sonnet-4-5", simulated: true }],
    maxParallel,
    maxRetries: 0,
    retryBaseMs: 100,
    idleTimeoutMs: 120_000,
    sessionTimeoutMs: 600_000,
    maxTurns: 20,
    maxBudgetUsd: 5,
    bus: new EventBus(),
    logger: silentLogger(),
    scrubber: new Scrubber([]),
  });
}

/** RSS (bytes) of a process and its descendants, from /proc. */
function treeRss(pid: number, children: Map<number, number[]>): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
  for (const child of children.get(pid) ?? []) total += treeRss(child, children);
  return total;
}

/** Largest RSS of one session (a CLI process tree) right now. */
function peakSessionRss(executable: string): number {
  const children = new Map<number, number[]>();
  const claude: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith(executable)) claude.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  return Math.max(0, ...claude.map((pid) => treeRss(pid, children)));
}

function kappaPeakRss(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024;
}

const MiB = 1024 * 1024;

async function bareCli(executable: string, dir: string, sessionsDir: string, baseUrl: string, prompt: string): Promise<void> {
  const dirs = prepareSessionDirs(sessionsDir, `bare-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const env = buildClaudeEnv({ env: processEnvironment(), account: { name: "bench", apiKey: "sk-simulated-bench", baseUrl, model: "claude-sonnet-4-5", simulated: true }, dirs, isRoot: userInfo().uid === 0 });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(executable, ["-p", prompt, "--output-format", "json", "--permission-mode", "bypassPermissions", "--max-turns", "20", "--model", "claude-sonnet-4-5"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stdout.resume();
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`claude -p exited ${code ?? "?"}: ${err.slice(-300)}`))));
  });
}

async function overhead(log: (line: string) => void): Promise<Figure[]> {
  const executable = findClaudeExecutable();
  if (!executable) throw new Error("the Claude Code CLI is not installed (optional dependency of @anthropic-ai/claude-agent-sdk)");
  const root = mkdtempSync(join(tmpdir(), "kappa-bench-m3-"));
  const scenario: ScenarioInput = { tasks: [{ turns: [{ tools: [{ tool: "Write", input: { file_path: "hello.txt", content: "hello\n" } }] }, { text: "Created hello.txt." }] }] };
  const sim = await startSimulator({ scenario: scenario as never });
  const driver = new ClaudeDriver({ sessionsDir: join(root, "sessions"), dangerousCommands: [], env: processEnvironment(), logger: silentLogger() });
  const pool = makePool(driver, sim.url, 1);
  const viaPool: number[] = [];
  const bare: number[] = [];
  try {
    const reps = FAST ? 2 : 4;
    for (let i = 0; i < reps; i += 1) {
      const t = task(`hello-${i}`);
      let started = performance.now();
      await bareCli(executable, tempRepo(root, `bare-${i}`), join(root, "sessions"), sim.url, t.prompt);
      bare.push(performance.now() - started);
      started = performance.now();
      const out = await pool.run({ task: t, workspace: { dir: tempRepo(root, `pool-${i}`), env: {} }, signal: new AbortController().signal });
      viaPool.push(performance.now() - started);
      if (out.result.status !== "completed") throw new Error(`pool session failed: ${out.result.error ?? "?"}`);
      log(`rep ${i + 1}: bare ${Math.round(bare[i] ?? 0)} ms, pool ${Math.round(viaPool[i] ?? 0)} ms`);
    }
  } finally {
    pool.close();
    await sim.close();
    rmSync(root, { recursive: true, force: true });
  }
  const ratio = median(viaPool) / median(bare);
  return [{ id: "M3", name: "session-overhead", value: ratio, goal: { op: "<=", target: 1.1 }, note: `pool ${Math.round(median(viaPool))} ms vs bare CLI ${Math.round(median(bare))} ms, median of ${bare.length}, simulated model` }];
}

async function parallel(log: (line: string) => void): Promise<Figure[]> {
  const executable = findClaudeExecutable();
  if (!executable) throw new Error("the Claude Code CLI is not installed (optional dependency of @anthropic-ai/claude-agent-sdk)");
  const latencyMs = FAST ? 1000 : 5000;
  const sim = await startSimulator({ scenario: { defaults: { latencyMs, usage: {} }, tasks: [] } as never });
  const timeWith = async (n: number): Promise<{ ms: number; sessionRss: number }> => {
    const root = mkdtempSync(join(tmpdir(), `kappa-bench-m4-${n}-`));
    const driver = new ClaudeDriver({ sessionsDir: join(root, "sessions"), dangerousCommands: [], env: processEnvironment(), logger: silentLogger() });
    const pool = makePool(driver, sim.url, n);
    let sessionRss = 0;
    const sampler = setInterval(() => (sessionRss = Math.max(sessionRss, peakSessionRss(executable))), 250);
    try {
      const tasks = Array.from({ length: 16 }, (_, i) => task(`module-${i + 1}`));
      const started = performance.now();
      const results = await Promise.all(tasks.map((t) => pool.run({ task: t, workspace: { dir: tempRepo(root, t.id), env: {} }, signal: new AbortController().signal })));
      const ms = performance.now() - started;
      const failed = results.filter((r) => r.result.status !== "completed");
      if (failed.length > 0) throw new Error(`${failed.length} sessions failed: ${failed[0]?.result.error ?? "?"}`);
      return { ms, sessionRss };
    } finally {
      clearInterval(sampler);
      pool.close();
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    const t8 = await timeWith(8);
    log(`8 sessions: ${Math.round(t8.ms)} ms`);
    const t1 = await timeWith(1);
    log(`1 session: ${Math.round(t1.ms)} ms`);
    const efficiency = t1.ms / (8 * t8.ms);
    return [
      { id: "M4", name: "parallel-efficiency", value: efficiency, goal: { op: ">=", target: 0.85 }, note: `T1 ${Math.round(t1.ms / 1000)} s, T8 ${Math.round(t8.ms / 1000)} s, 16 tasks, ${latencyMs} ms per turn, simulated model` },
      { id: "M4", name: "peak-rss-per-session", value: Math.max(t1.sessionRss, t8.sessionRss) / MiB, unit: "MiB", note: "CLI process tree" },
      { id: "M4", name: "peak-rss-kappa", value: kappaPeakRss() / MiB, unit: "MiB", note: "VmHWM, includes the in-process simulator" },
    ];
  } finally {
    await sim.close();
  }
}

export const sessionsBenchmarks: Benchmark[] = [
  { name: "session-overhead", description: "M3: one task via kappa's pool vs the bare CLI (claude -p), same simulator", run: overhead },
  { name: "parallel-efficiency", description: "M4: 16 independent tasks, 8 sessions vs 1 (T1 / (8·T8)), and peak RSS", run: parallel },
];

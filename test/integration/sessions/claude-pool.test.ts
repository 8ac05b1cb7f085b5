/**
 * The pool through the real Claude Code CLI against the simulated model: rate limits, overload, stalls, abort,
 * and the cost ledger.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventBus, Scrubber, processEnvironment, silentLogger, type KappaEvent, type PlannedTask } from "../../../src/core/index.js";
import { PgSessionStore, ensureProject, sessionsForTask } from "../../../src/knowledge/index.js";
import { costByRun } from "../../../src/metrics/index.js";
import { ClaudeDriver } from "../../../src/sessions/claude-driver.js";
import { SessionPool, type SessionPoolOptions } from "../../../src/sessions/index.js";
import { startSimulator, type SimulatorHandle } from "../../../src/simulator/index.js";
import { processesInside } from "../../../src/workspace/index.js";
import { testDatabase } from "../../helpers/db.js";
import { tempDir, tempRepo } from "../../helpers/git.js";

let sim: SimulatorHandle;
let sessions: ReturnType<typeof tempDir>;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  sessions = tempDir();
  sim = await startSimulator({
    scenario: {
      tasks: [
        { match: { taskId: "limited" }, fault: { type: "rate_limit", times: 1, retryAfterSeconds: 1 } },
        { match: { taskId: "overloaded" }, fault: { type: "overloaded" } },
        { match: { taskId: "stalled" }, fault: { type: "stall", times: 1 } },
        { match: { taskId: "slow" }, turns: [{ latencyMs: 60_000, text: "never" }] },
        { match: { taskId: "bad-key" }, fault: { type: "auth" } },
      ],
    } as never,
  });
});
afterAll(async () => {
  await sim.close();
  sessions.cleanup();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function task(id: string): PlannedTask {
  return { id, title: `Task ${id}`, prompt: `Do ${id}.`, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };
}

function worktree(): string {
  const repo = tempRepo({ "README.md": "# t\n", "TASKS.md": "# Tasks\n" });
  cleanups.push(() => repo.cleanup());
  return repo.dir;
}

function makePool(overrides: Partial<SessionPoolOptions> = {}): { pool: SessionPool; events: KappaEvent[] } {
  const bus = new EventBus();
  const events: KappaEvent[] = [];
  bus.onAny((e) => events.push(e));
  const driver = new ClaudeDriver({ sessionsDir: sessions.dir, dangerousCommands: [], env: processEnvironment(), logger: silentLogger() });
  const pool = new SessionPool({
    driver,
    accounts: [{ name: "main", apiKey: "sk-simulated-test-key", baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true }],
    maxParallel: 2,
    maxRetries: 2,
    retryBaseMs: 200,
    idleTimeoutMs: 30_000,
    sessionTimeoutMs: 120_000,
    maxTurns: 20,
    maxBudgetUsd: 5,
    bus,
    logger: silentLogger(),
    scrubber: new Scrubber(["sk-simulated-test-key"]),
    ...overrides,
  });
  cleanups.push(() => pool.close());
  return { pool, events };
}

const signal = (): AbortSignal => new AbortController().signal;

describe("session pool with the real Claude Code CLI", () => {
  it("retries a rate-limited session after the breaker reopens and succeeds", async () => {
    const { pool, events } = makePool();
    const out = await pool.run({ task: task("limited"), workspace: { dir: worktree(), env: {} }, signal: signal() });
    expect(out.result.status, out.result.error).toBe("completed");
    expect(out.attempts).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === "breaker:opened")).toBe(true);
    expect(events.some((e) => e.type === "breaker:closed")).toBe(true);
  });

  it("fails an always-overloaded API with a clear reason within the retry bound", async () => {
    const { pool } = makePool({ maxRetries: 1, retryBaseMs: 100 });
    const started = Date.now();
    const out = await pool.run({ task: task("overloaded"), workspace: { dir: worktree(), env: {} }, signal: signal() });
    expect(out.result.status).toBe("failed");
    expect(out.attempts).toBe(2);
    expect(out.result.errorKind).toBe("overloaded");
    expect(out.result.error).toMatch(/^gave up after 2 attempts: the API behind account main is overloaded \(529\)/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("stops a stalled stream with the watchdog and retries it", async () => {
    const { pool, events } = makePool({ idleTimeoutMs: 4_000, retryBaseMs: 10 });
    const out = await pool.run({ task: task("stalled"), workspace: { dir: worktree(), env: {} }, signal: signal() });
    expect(out.result.status, out.result.error).toBe("completed");
    const retry = events.find((e) => e.type === "task:retrying");
    expect(retry?.type === "task:retrying" && retry.reason).toMatch(/no output for 4 s/);
  });

  it("spreads sessions over two accounts", async () => {
    const { pool, events } = makePool({
      accounts: [
        { name: "first", apiKey: "sk-simulated-test-key", baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true, maxConcurrent: 1 },
        { name: "second", apiKey: "sk-simulated-test-key", baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true, maxConcurrent: 1 },
      ],
    });
    const outs = await Promise.all(["share-1", "share-2", "share-3", "share-4"].map((id) => pool.run({ task: task(id), workspace: { dir: worktree(), env: {} }, signal: signal() })));
    for (const out of outs) expect(out.result.status, out.result.error).toBe("completed");
    const accounts = events.flatMap((e) => (e.type === "session:started" ? [e.account] : []));
    expect(accounts.filter((a) => a === "first").length).toBeGreaterThanOrEqual(1);
    expect(accounts.filter((a) => a === "second").length).toBeGreaterThanOrEqual(1);
  });

  it("fails fast, without retrying, when the API key is rejected", async () => {
    const { pool } = makePool({ retryBaseMs: 5_000 });
    const started = Date.now();
    const out = await pool.run({ task: task("bad-key"), workspace: { dir: worktree(), env: {} }, signal: signal() });
    expect(out.result.status).toBe("failed");
    expect(out.result.errorKind).toBe("auth");
    expect(out.attempts).toBe(1);
    expect(out.result.error).toMatch(/key/i);
    expect(out.result.error).not.toContain("sk-simulated-test-key");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("leaves no process behind when the caller aborts", async () => {
    const { pool, events } = makePool();
    const dir = worktree();
    const controller = new AbortController();
    const running = pool.run({ task: task("slow"), workspace: { dir, env: {} }, signal: controller.signal });
    for (let i = 0; i < 200 && processesInside(dir).length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(processesInside(dir).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_000));
    controller.abort();
    const out = await running;
    expect(out.result.errorKind).toBe("aborted");
    for (let i = 0; i < 40 && processesInside(dir).length > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(processesInside(dir)).toEqual([]);
    expect(events.some((e) => e.type === "task:retrying")).toBe(false);
  });

  it("records the session's tokens and cost in the ledger", async () => {
    const db = await testDatabase();
    try {
      const project = await ensureProject(db.pool, "/tmp/p", "p");
      await db.pool.query("INSERT INTO runs (id, project_id, plan) VALUES ('r1', $1, '{}')", [project.id]);
      const { pool } = makePool({ store: new PgSessionStore(db.pool, new Scrubber(["sk-simulated-test-key"])) });
      const dir = worktree();
      const out = await pool.run({ task: task("writes-files"), workspace: { dir, env: {} }, signal: signal(), runId: "r1" });
      expect(out.result.status, out.result.error).toBe("completed");
      expect(readFileSync(join(dir, "TASKS.md"), "utf8")).toContain("writes-files");
      const [session] = await sessionsForTask(db.pool, "r1", "writes-files");
      expect(session?.status).toBe("completed");
      expect(session?.simulated).toBe(true);
      expect(session?.usage.inputTokens).toBeGreaterThan(0);
      const cost = await costByRun(db.pool, "r1");
      expect(cost.usage.outputTokens).toBe(out.result.usage.outputTokens);
      expect(cost.costUsd).toBeCloseTo(out.result.costUsd, 5);
      expect(cost.costUsd).toBeGreaterThan(0);
      const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM session_events WHERE session_id = $1", [session?.id]);
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventBus, Scrubber, silentLogger, type PlannedTask } from "../../../src/core/index.js";
import { PgSessionStore, ensureProject, findSession, listSessionEvents, sessionsForTask } from "../../../src/knowledge/index.js";
import { costByRun, costBySession, costByTask } from "../../../src/metrics/index.js";
import { FakeDriver, SessionPool, type FakeDriverOptions } from "../../../src/sessions/index.js";
import { TEST_DATABASE_URL, testDatabase } from "../../helpers/db.js";
import { tempDir } from "../../helpers/git.js";

const run = promisify(execFile);
type Db = Awaited<ReturnType<typeof testDatabase>>;
let db: Db;
const SECRET = "sk-ant-very-secret-value";

beforeEach(async () => {
  db = await testDatabase();
  const project = await ensureProject(db.pool, "/tmp/project", "project");
  await db.pool.query("INSERT INTO runs (id, project_id, plan) VALUES ('r1', $1, '{}')", [project.id]);
});
afterEach(async () => {
  await db.drop();
});

function task(id: string): PlannedTask {
  return { id, title: `task ${id}`, prompt: "p", category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };
}

function poolWith(script: FakeDriverOptions): SessionPool {
  const scrubber = new Scrubber([SECRET]);
  return new SessionPool({
    driver: new FakeDriver(script),
    accounts: [{ name: "main", apiKey: SECRET, baseUrl: undefined, model: "claude-test", simulated: true }],
    maxParallel: 2,
    maxRetries: 2,
    retryBaseMs: 1,
    idleTimeoutMs: 5_000,
    sessionTimeoutMs: 10_000,
    maxTurns: 10,
    maxBudgetUsd: 1,
    store: new PgSessionStore(db.pool, scrubber),
    bus: new EventBus(),
    logger: silentLogger(),
    scrubber,
  });
}

const workspace = { dir: "/nonexistent", env: {} };
const signal = new AbortController().signal;

describe("session store and ledger", () => {
  it("records every attempt, its events in order with secrets removed, and what it cost", async () => {
    const cliToken = "4728ecc2d70bbffafb8811209f101a38";
    const events = Array.from({ length: 250 }, (_, i) => ({ kind: "text" as const, text: i === 3 ? `key is ${SECRET}` : i === 4 ? `PATH=/bin\nCLAUDE_CODE_MESSAGING_TOKEN=${cliToken}` : `line ${i}` }));
    const pool = poolWith({
      tasks: {
        build: [
          { fail: "server_error", usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.001 },
          { events, usage: { inputTokens: 5000, outputTokens: 700, cacheReadTokens: 300 }, costUsd: 0.25, turns: 4 },
        ],
        docs: [{ costUsd: 0.05 }],
      },
    });
    const [build] = await Promise.all([pool.run({ task: task("build"), workspace, signal, runId: "r1" }), pool.run({ task: task("docs"), workspace, signal, runId: "r1" })]);
    pool.close();
    expect(build?.attempts).toBe(2);

    const sessions = await sessionsForTask(db.pool, "r1", "build");
    expect(sessions.map((s) => [s.attempt, s.status, s.errorKind])).toEqual([[1, "failed", "server_error"], [2, "completed", null]]);
    const ok = sessions[1]!;
    expect(ok.turns).toBe(4);
    expect(ok.simulated).toBe(true);
    expect(ok.usage).toEqual({ inputTokens: 5000, outputTokens: 700, cacheReadTokens: 300, cacheWriteTokens: 0 });
    expect(ok.costUsd).toBeCloseTo(0.25);

    const stored = await listSessionEvents(db.pool, ok.id, 0, 10_000);
    expect(stored).toHaveLength(251);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
    expect(stored[3]?.text).toBe("key is [redacted]");
    // The CLI's own token, which kappa never knew, as a Bash tool's `env` output shows it.
    expect(stored[4]?.text).toBe("PATH=/bin\nCLAUDE_CODE_MESSAGING_TOKEN=[redacted]");
    expect(JSON.stringify(stored)).not.toContain(cliToken);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect((await listSessionEvents(db.pool, ok.id, 249)).map((e) => e.seq)).toEqual([250, 251]);

    expect((await findSession(db.pool, ok.id.slice(0, 8)))?.id).toBe(ok.id);
    expect(await findSession(db.pool, "s_")).toBeUndefined();

    const total = await costByRun(db.pool, "r1");
    expect(total.costUsd).toBeCloseTo(0.301);
    expect(total.sessions).toBe(3);
    expect(total.usage.inputTokens).toBe(100 + 5000 + 1000);
    const perTask = await costByTask(db.pool, "r1");
    expect(perTask.map((t) => t.taskId)).toEqual(["build", "docs"]);
    expect(perTask[0]?.costUsd).toBeCloseTo(0.251);
    expect(await costBySession(db.pool, "r1")).toHaveLength(3);
  });

  it("kappa logs shows a session readably, as NDJSON, and rejects an unknown id", async () => {
    const pool = poolWith({
      tasks: {
        build: [{
          events: [
            { kind: "text", text: "I will create the app." },
            { kind: "tool_use", tool: "Write", text: "Write", data: { input: { file_path: "/x/.kappa/worktrees/build/src/app.ts", content: "a\nb\nc\n" } } },
            { kind: "tool_use", tool: "Bash", text: "Bash", data: { command: "npm test" } },
            { kind: "text", text: "x".repeat(500) },
          ],
          usage: { inputTokens: 12_345, outputTokens: 678 },
          costUsd: 0.42,
        }],
      },
    });
    const out = await pool.run({ task: task("build"), workspace, signal, runId: "r1" });
    pool.close();
    const id = out.sessionIds[0]!;
    const dir = tempDir();
    try {
      const env = { ...process.env, DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.schema ?? ""}`)}`, NO_COLOR: "1" };
      const kappa = (...args: string[]) => run("npx", ["tsx", "src/cli/main.ts", "-C", dir.dir, "logs", ...args], { cwd: process.cwd(), env });
      const human = await kappa("--session", id);
      expect(human.stdout).toContain(`session ${id} · task build · attempt 1 · run r1`);
      expect(human.stdout).toContain("simulated model");
      expect(human.stdout).toMatch(/status completed · 1 turn .*tokens 12\.3k in \/ 678 out · cost \$0\.42/);
      expect(human.stdout).toMatch(/tool_use\s+Write src\/app\.ts \(3 lines\)/);
      expect(human.stdout).toContain("Bash: npm test");
      expect(human.stdout).toContain(`${"x".repeat(159)}…`);
      expect(human.stdout).not.toContain("x".repeat(161));

      const json = await kappa("--session", id, "--json");
      const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { seq: number; kind: string });
      expect(lines.map((l) => l.kind)).toEqual(["text", "tool_use", "tool_use", "text", "result"]);

      const latest = await kappa("--run", "r1", "--task", "build");
      expect(latest.stdout).toContain(`session ${id}`);

      const unknown = await kappa("--session", "s_doesnotexist").then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(unknown?.code).toBe(2);
      expect(unknown?.stderr).toContain("kappa status");
    } finally {
      dir.cleanup();
    }
  });
});

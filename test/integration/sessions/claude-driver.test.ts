/**
 * The Claude driver through the real Claude Code CLI against the simulated model. Independent sessions run
 * concurrently to keep the file fast (each CLI takes ~0.5-2 s and ~200 MiB).
 */
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { processEnvironment, silentLogger, type PlannedTask } from "../../../src/core/index.js";
import { ClaudeDriver, runStructuredQuery, type SessionAccount, type SessionEvent, type SessionResult } from "../../../src/sessions/index.js";
import { startSimulator, type SimulatorHandle } from "../../../src/simulator/index.js";
import { tempDir, tempRepo } from "../../helpers/git.js";

const API_KEY = "sk-ant-test-secret-0123456789";
let sim: SimulatorHandle;
let sessions: { dir: string; cleanup(): void };
let outside: { dir: string; cleanup(): void };
let driver: ClaudeDriver;
const cleanups: (() => void)[] = [];

function task(id: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return { id, title: `Task ${id}`, prompt: `Do the work of ${id}.`, category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [], ...extra };
}

function account(): SessionAccount {
  return { name: "sim", apiKey: API_KEY, baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true };
}

async function runTask(id: string, signal = new AbortController().signal): Promise<{ result: SessionResult; events: SessionEvent[]; dir: string }> {
  const repo = tempRepo({ "README.md": "# test\n", "TASKS.md": "# Tasks\n\n- setup\n" });
  cleanups.push(() => repo.cleanup());
  const events: SessionEvent[] = [];
  const result = await driver.run(task(id), { dir: repo.dir, env: { PORT: "41000" } }, { signal, onEvent: (e) => events.push(e), account: account(), maxTurns: 20, maxBudgetUsd: 5 });
  return { result, events, dir: repo.dir };
}

/** Pids of live processes whose working directory is `dir` (the CLI and any tool process it started there). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir && !readFileSync(`/proc/${entry}/stat`, "utf8").includes(") Z ")) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

beforeAll(async () => {
  outside = tempDir();
  sessions = tempDir();
  sim = await startSimulator({
    scenario: {
      tasks: [
        {
          match: { taskId: "escape" },
          turns: [
            {
              tools: [
                { tool: "Write", input: { file_path: join(outside.dir, "stolen.txt"), content: "nope" } },
                { tool: "Bash", input: { command: "git   push origin main" } },
                { tool: "Write", input: { file_path: "src/inside.ts", content: "export const inside = true;\n" } },
              ],
            },
            { text: "Wrote src/inside.ts." },
          ],
        },
        { match: { taskId: "limited" }, fault: { type: "rate_limit", retryAfterSeconds: 3 } },
        { match: { taskId: "badkey" }, fault: { type: "auth" } },
        { match: { taskId: "busy" }, fault: { type: "overloaded" } },
        { match: { taskId: "stalled" }, fault: { type: "stall" } },
        { match: { taskId: "sleeper" }, turns: [{ tools: [{ tool: "Bash", input: { command: "for i in $(seq 1 120); do sleep 1; done" } }] }] },
      ],
    },
    structuredOutput: (prompt) => ({ tasks: [{ id: "from-callback", words: prompt.length > 0 }] }),
  });
  driver = new ClaudeDriver({ sessionsDir: sessions.dir, dangerousCommands: ["git push", "sudo "], env: processEnvironment(), logger: silentLogger(), conventions: "Use TypeScript." });
});

afterAll(async () => {
  await sim.close();
  for (const c of cleanups) c();
  sessions.cleanup();
  outside.cleanup();
});

describe.concurrent("Claude driver through the real CLI", () => {
  test("a session writes its files in the worktree and reports tokens, cost, turns and changed files", async () => {
    const { result, events, dir } = await runTask("writer");
    expect(result.status).toBe("completed");
    expect(readFileSync(join(dir, "tasks/writer.md"), "utf8")).toContain("writer");
    expect(readFileSync(join(dir, "TASKS.md"), "utf8")).toContain("- writer");
    expect(result.filesChanged).toEqual(["TASKS.md", "tasks/writer.md"]);
    expect(result.usage.inputTokens).toBeGreaterThanOrEqual(3000);
    expect(result.usage.outputTokens).toBeGreaterThanOrEqual(300);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.turns).toBeGreaterThanOrEqual(3);
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const writes = events.filter((e) => e.kind === "tool_use" && e.tool === "Write");
    expect(writes[0]?.files).toEqual(["tasks/writer.md"]);
    expect(events.at(-1)?.kind).toBe("result");
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    expect(sim.stats().tasks.writer?.requests).toBe(3);
  });

  test("a Write outside the worktree and a dangerous command are denied, and nothing is written outside", async () => {
    const { result, events, dir } = await runTask("escape");
    expect(result.status).toBe("completed");
    expect(existsSync(join(outside.dir, "stolen.txt"))).toBe(false);
    expect(readFileSync(join(dir, "src/inside.ts"), "utf8")).toContain("inside");
    expect(result.filesChanged).toEqual(["src/inside.ts"]);
    const denials = events.filter((e) => e.kind === "system" && e.text.startsWith("denied"));
    expect(denials.map((e) => e.tool)).toEqual(["Write", "Bash"]);
  });

  test("a 429 fails as rate_limited with the server's retry-after", async () => {
    const { result } = await runTask("limited");
    expect(result.status).toBe("failed");
    expect(result.errorKind).toBe("rate_limited");
    expect(result.retryAfterMs).toBeGreaterThanOrEqual(3000);
    expect(result.durationMs).toBeLessThan(15_000);
  });

  test("a bad key fails fast as auth, without echoing the key", async () => {
    const { result } = await runTask("badkey");
    expect(result.errorKind).toBe("auth");
    expect(result.durationMs).toBeLessThan(10_000);
    expect(`${result.summary} ${result.error}`).not.toContain(API_KEY);
  });

  test("a 529 for ever fails as overloaded within a bounded time", async () => {
    const { result } = await runTask("busy");
    expect(result.errorKind).toBe("overloaded");
    expect(result.durationMs).toBeLessThan(15_000);
  });

  test("aborting a stalled session returns aborted promptly and leaves no process of it behind", async () => {
    const repo = tempRepo();
    cleanups.push(() => repo.cleanup());
    const dir = realpathSync(repo.dir);
    const controller = new AbortController();
    let seenAlive: number[] = [];
    const abortWhenStalled = (async () => {
      while ((sim.stats().tasks.stalled?.requests ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      seenAlive = processesIn(dir);
      controller.abort();
      return Date.now();
    })();
    const result = await driver.run(task("stalled"), { dir, env: {} }, { signal: controller.signal, onEvent: () => undefined, account: account(), maxTurns: 20, maxBudgetUsd: 5 });
    const abortedAt = await abortWhenStalled;
    expect(result.errorKind).toBe("aborted");
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect(seenAlive.length).toBeGreaterThan(0); // the CLI was running in the worktree while stalled
    expect(processesIn(dir)).toEqual([]);
  });

  test("aborting while a Bash tool runs kills the tool's processes too", async () => {
    const repo = tempRepo();
    cleanups.push(() => repo.cleanup());
    const dir = realpathSync(repo.dir);
    const controller = new AbortController();
    let seenAlive: number[] = [];
    const abortWhenSleeping = (async () => {
      const cmdline = (pid: number): string => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          return ""; // ended meanwhile (e.g. the driver's own git calls)
        }
      };
      const sleeping = (): boolean => processesIn(dir).some((pid) => cmdline(pid).includes("sleep"));
      for (let waited = 0; !sleeping() && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      seenAlive = processesIn(dir);
      controller.abort();
    })();
    const result = await driver.run(task("sleeper"), { dir, env: {} }, { signal: controller.signal, onEvent: () => undefined, account: account(), maxTurns: 20, maxBudgetUsd: 5 });
    await abortWhenSleeping;
    expect(result.errorKind).toBe("aborted");
    expect(seenAlive.length).toBeGreaterThan(1); // the CLI and the tool's shell/sleep
    expect(processesIn(dir)).toEqual([]);
  });

  test("a session resumed by its id continues the same conversation in the same worktree", async () => {
    const repo = tempRepo({ "TASKS.md": "# Tasks\n" });
    cleanups.push(() => repo.cleanup());
    const run = (resumeSessionId?: string) =>
      driver.run(task("resumable"), { dir: repo.dir, env: {} }, { signal: new AbortController().signal, onEvent: (e) => events.push(e), account: account(), maxTurns: 20, maxBudgetUsd: 5, resumeSessionId });
    const events: SessionEvent[] = [];
    const first = await run();
    expect(first.status).toBe("completed");
    const requestsBefore = sim.stats().tasks.resumable?.requests ?? 0;
    events.length = 0;
    const second = await run(first.sessionId);
    expect(second.status).toBe("completed");
    expect(events.some((e) => e.text.startsWith("cannot resume"))).toBe(false);
    // The simulator saw the earlier turns in the history, so the generic task was already done: one request.
    expect((sim.stats().tasks.resumable?.requests ?? 0) - requestsBefore).toBe(1);
    expect(readFileSync(join(repo.dir, "TASKS.md"), "utf8").match(/- resumable/g)).toHaveLength(1);
  });

  test("a structured query returns the object produced by the simulator's callback", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const schema = { type: "object", properties: { tasks: { type: "array" } }, required: ["tasks"] };
    const { output, usage, costUsd } = await runStructuredQuery({ prompt: "Task id: planner\nPlan this spec.", jsonSchema: schema, account: account(), cwd: dir.dir, sessionsDir: sessions.dir, env: processEnvironment(), signal: new AbortController().signal });
    expect(output).toEqual({ tasks: [{ id: "from-callback", words: true }] });
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(costUsd).toBeGreaterThan(0);
  });
});

/**
 * Through the real Claude Code CLI and the simulated model: what a session's Bash tool sees of kappa's environment.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { processEnvironment, silentLogger, type PlannedTask } from "../../../src/core/index.js";
import { ClaudeDriver, type SessionEvent } from "../../../src/sessions/index.js";
import { startSimulator, type SimulatorHandle } from "../../../src/simulator/index.js";
import { tempDir, tempRepo } from "../../helpers/git.js";

const API_KEY = "sk-ant-account-key-0123456789";
const SECRETS = { MY_SERVICE_TOKEN: "tok-service-abcdef123", AWS_SECRET_ACCESS_KEY: "aws-secret-zyx987", DATABASE_URL: "postgres://u:hunter2@db/x" };
let sim: SimulatorHandle;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    scenario: { tasks: [{ match: { taskId: "dump" }, turns: [{ tools: [{ tool: "Bash", input: { command: "env > env.txt" } }] }, { text: "Dumped." }] }] },
  });
});
afterAll(async () => {
  await sim.close();
  for (const c of cleanups) c();
});

test("a Claude session that dumps env sees no secret of kappa's environment, only the account key the CLI needs", async () => {
  const repo = tempRepo();
  const sessions = tempDir();
  cleanups.push(() => repo.cleanup(), () => sessions.cleanup());
  const driver = new ClaudeDriver({ sessionsDir: sessions.dir, dangerousCommands: [], env: { ...processEnvironment(), ...SECRETS, ANTHROPIC_API_KEY: "sk-ant-shell-key-999999" }, logger: silentLogger() });
  const task: PlannedTask = { id: "dump", title: "Dump", prompt: "Dump the environment.", category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };
  const events: SessionEvent[] = [];
  const result = await driver.run(task, { dir: repo.dir, env: { PORT: "41000", KAPPA_TASK_ID: "dump" } }, { signal: new AbortController().signal, onEvent: (e) => events.push(e), account: { name: "sim", apiKey: API_KEY, baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true }, maxTurns: 5, maxBudgetUsd: 1 });
  expect(result, JSON.stringify(events.slice(-5))).toMatchObject({ status: "completed", error: undefined });
  const dumped = readFileSync(join(repo.dir, "env.txt"), "utf8");
  for (const value of [...Object.values(SECRETS), "sk-ant-shell-key-999999"]) expect(dumped).not.toContain(value);
  expect(dumped).toContain("KAPPA_TASK_ID=dump");
});

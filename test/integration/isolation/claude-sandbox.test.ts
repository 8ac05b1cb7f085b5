/**
 * Through the real Claude Code CLI and the simulated model: a session's Bash commands run in the OS sandbox.
 * The same escape commands succeed without the sandbox and are refused with it; the task's own directory stays
 * writable, and the network stays open.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { processEnvironment, silentLogger, type PlannedTask } from "../../../src/core/index.js";
import { ClaudeDriver, type SandboxPolicy, type SessionEvent } from "../../../src/sessions/index.js";
import { startSimulator, type SimulatorHandle } from "../../../src/simulator/index.js";
import { gitIn, tempDir, tempRepo } from "../../helpers/git.js";

const API_KEY = "sk-ant-account-key-0123456789";
let sim: SimulatorHandle;
let user: { dir: string; cleanup(): void };
let outside: { dir: string; cleanup(): void };
const cleanups: (() => void)[] = [];

function escapes(tag: string): string[] {
  return [
    `echo x > ${join(outside.dir, `${tag}-escape.txt`)}`,
    `git -C ${user.dir} branch ${tag}-hijacked`,
    "echo inside > inside.txt",
    `env -u NO_PROXY -u no_proxy curl -s -o /dev/null -w '%{http_code}' "$ANTHROPIC_BASE_URL/" > net.txt; echo " exit $?" >> net.txt`,
    "env > env.txt",
  ];
}

beforeAll(async () => {
  user = tempRepo();
  outside = tempDir();
  cleanups.push(() => user.cleanup(), () => outside.cleanup());
  const scenarioTasks = ["open", "boxed", "listed"].map((tag) => ({ match: { taskId: tag }, turns: [{ tools: escapes(tag).map((command) => ({ tool: "Bash", input: { command } })) }, { text: "Done." }] }));
  sim = await startSimulator({ scenario: { tasks: scenarioTasks } });
});
afterAll(async () => {
  await sim.close();
  for (const c of cleanups) c();
});

async function run(id: string, sandbox: SandboxPolicy | undefined): Promise<{ dir: string; events: SessionEvent[] }> {
  const repo = tempRepo();
  const sessions = tempDir();
  cleanups.push(() => repo.cleanup(), () => sessions.cleanup());
  const driver = new ClaudeDriver({ sessionsDir: sessions.dir, dangerousCommands: [], env: processEnvironment(), logger: silentLogger(), sandbox });
  const task: PlannedTask = { id, title: id, prompt: "Try to get out.", category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };
  const events: SessionEvent[] = [];
  const account = { name: "sim", apiKey: API_KEY, baseUrl: sim.url, model: "claude-sonnet-4-5", simulated: true };
  const result = await driver.run(task, { dir: repo.dir, env: {} }, { signal: new AbortController().signal, onEvent: (e) => events.push(e), account, maxTurns: 5, maxBudgetUsd: 1 });
  expect(result, JSON.stringify(events.slice(-3))).toMatchObject({ status: "completed" });
  return { dir: repo.dir, events };
}

test("without the sandbox a session's commands write outside its directory and move the user's refs; with it they are refused, and its own directory and the network stay usable", async () => {
  writeFileSync(join(user.dir, "README.md"), "# dirty\n");
  const [open, boxed, listed] = await Promise.all([run("open", undefined), run("boxed", { allowedDomains: [] }), run("listed", { allowedDomains: ["registry.npmjs.org"] })]);

  expect(existsSync(join(outside.dir, "open-escape.txt"))).toBe(true);
  expect(gitIn(user.dir, "branch", "--list", "open-hijacked")).toContain("open-hijacked");
  expect(readFileSync(join(open.dir, "inside.txt"), "utf8")).toBe("inside\n");

  expect(existsSync(join(outside.dir, "boxed-escape.txt"))).toBe(false);
  expect(gitIn(user.dir, "branch", "--list", "boxed-hijacked")).toBe("");
  expect(readFileSync(join(boxed.dir, "inside.txt"), "utf8")).toBe("inside\n");
  // The network is open by default (through the sandbox's proxy), and an allowlist closes it to other domains.
  expect(readFileSync(join(open.dir, "net.txt"), "utf8")).toBe("200 exit 0\n");
  expect(readFileSync(join(boxed.dir, "net.txt"), "utf8")).toBe("200 exit 0\n");
  expect(readFileSync(join(listed.dir, "net.txt"), "utf8")).not.toBe("200 exit 0\n");
  // Inside the sandbox even the account key is gone from the commands' environment.
  expect(readFileSync(join(boxed.dir, "env.txt"), "utf8")).not.toContain(API_KEY);
  expect(readFileSync(join(user.dir, "README.md"), "utf8")).toBe("# dirty\n");
});

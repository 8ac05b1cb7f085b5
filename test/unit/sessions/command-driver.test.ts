import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { processEnvironment, type PlannedTask } from "../../../src/core/index.js";
import { CommandDriver, renderTemplate } from "../../../src/sessions/index.js";
import type { SessionEvent } from "../../../src/sessions/index.js";
import { tempRepo } from "../../helpers/git.js";

const task: PlannedTask = { id: "add-greeting", title: "Add a greeting", prompt: "write hello.txt; don't forget the 'quotes'", category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: ["hello.txt exists"], requirements: [] };
const account = { name: "main", apiKey: undefined, baseUrl: undefined, model: "m", simulated: false };
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function repo(): string {
  const r = tempRepo();
  cleanups.push(() => r.cleanup());
  return r.dir;
}

function run(template: string, dir: string, signal = new AbortController().signal, env = processEnvironment(), passEnv: string[] = []) {
  const events: SessionEvent[] = [];
  const driver = new CommandDriver({ template, env, passEnv, killGraceMs: 200 });
  const result = driver.run(task, { dir, env: { KAPPA_TASK_ID: task.id } }, { signal, onEvent: (e) => events.push(e), account, maxTurns: 5, maxBudgetUsd: 1 });
  return { result, events };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("command driver", () => {
  it("substitutes each placeholder as exactly one shell argument", () => {
    expect(renderTemplate("agent --message {prompt} --id {taskId}", { prompt: "it's $(rm -rf x) `y`", taskId: "t1", worktree: "/w" })).toBe(
      "agent --message 'it'\\''s $(rm -rf x) `y`' --id 't1'",
    );
  });

  it("runs the command in the worktree and reports the files it wrote", async () => {
    const dir = repo();
    const { result, events } = run(`printf '%s' {prompt} > hello.txt && echo "task $KAPPA_TASK_ID in $(pwd)" && echo done`, dir);
    const out = await result;
    expect(out.status).toBe("completed");
    expect(out.filesChanged).toEqual(["hello.txt"]);
    expect(readFileSync(join(dir, "hello.txt"), "utf8")).toContain("don't forget the 'quotes'");
    expect(events.map((e) => e.text)).toContain(`task add-greeting in ${dir}`);
    expect(out.summary).toBe("done");
  });

  it("gives the agent only the allowlisted environment, the task's variables and passEnv names: a dumped env holds no secret", async () => {
    const dir = repo();
    const secrets = { ANTHROPIC_API_KEY: "sk-ant-shell-key-123456", MY_SERVICE_TOKEN: "tok-service-abcdef", DATABASE_URL: "postgres://u:hunter2@db/x", KAPPA_DATABASE_URL: "postgres://u:pw2@db/y" };
    const env = { ...processEnvironment(), ...secrets, LC_ALL: "C.UTF-8", AGENT_MODEL: "gpt-x" };
    const out = await run("env > env.txt", dir, undefined, env, ["AGENT_MODEL"]).result;
    expect(out.status).toBe("completed");
    const dumped = readFileSync(join(dir, "env.txt"), "utf8");
    for (const value of Object.values(secrets)) expect(dumped).not.toContain(value);
    const names = dumped.split("\n").map((line) => line.split("=")[0]);
    expect(names).toEqual(expect.arrayContaining(["PATH", "LC_ALL", "AGENT_MODEL", "KAPPA_TASK_ID"]));
    expect(names).not.toContain("MY_SERVICE_TOKEN");
  });

  it("fails fast with a hint when the agent command does not exist", async () => {
    const out = await run("no-such-agent-xyz {prompt}", repo()).result;
    expect(out.status).toBe("failed");
    expect(out.errorKind).toBe("agent_error");
    expect(out.retryable).toBe(false);
    expect(out.error).toMatch(/command not found: no-such-agent-xyz.*commandTemplate/);
  });

  it("reports a non-zero exit as an agent error with the last output line", async () => {
    const out = await run("echo 'tests failed: 3' >&2; exit 3", repo()).result;
    expect(out.errorKind).toBe("agent_error");
    expect(out.error).toBe("the command exited with code 3: tests failed: 3");
  });

  it("kills a hanging command and all its children on abort", async () => {
    const dir = repo();
    const controller = new AbortController();
    const { result } = run(`sleep 300 & echo $! > child.pid; trap '' TERM; sleep 300`, dir, controller.signal);
    const pidFile = join(dir, "child.pid");
    for (let i = 0; i < 500 && !(existsSync(pidFile) && readFileSync(pidFile, "utf8").trim()); i += 1) await new Promise((r) => setTimeout(r, 20));
    const childPid = Number(readFileSync(pidFile, "utf8").trim());
    expect(alive(childPid)).toBe(true);
    const started = Date.now();
    controller.abort();
    const out = await result;
    expect(out.errorKind).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(2_000);
    for (let i = 0; i < 500 && alive(childPid); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(alive(childPid)).toBe(false);
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain(`sleep 300 & echo`);
  });
});

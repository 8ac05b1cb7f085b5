/** A git repository with a plan, and the real CLI driving it with the command driver (fast, real processes). */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { tempDir, tempRepo } from "../../helpers/git.js";
import { ROOT, cleanEnv, runKappa, schemaUrl, type KappaResult } from "../cli/run-kappa.js";

export interface PlanTask {
  id: string;
  dependsOn?: string[];
}

export function planYaml(tasks: PlanTask[]): string {
  return stringify({
    version: 1,
    name: "test plan",
    tasks: tasks.map((t) => ({
      id: t.id,
      title: `build ${t.id}`,
      prompt: `Create ${t.id}.txt`,
      category: "logic",
      complexity: 1,
      priority: "P1",
      estimateMinutes: 5,
      dependsOn: t.dependsOn ?? [],
      files: [`${t.id}.txt`],
      acceptance: [],
      requirements: [],
    })),
  });
}

export interface Project {
  dir: string;
  /** Absolute path of plan.yaml. */
  plan: string;
  env: Record<string, string>;
  kappa(...args: string[]): Promise<KappaResult>;
  /** `detached`: in its own process group, like a terminal's foreground job (signal it with `-pid`). */
  spawnKappa(...args: string[]): ChildProcess;
  spawnKappaInGroup(...args: string[]): ChildProcess;
  cleanup(): Promise<void>;
}

/**
 * `template` is the command each task runs in its worktree ({taskId} is replaced by the quoted task id).
 */
export async function project(tasks: PlanTask[], template: string, extraEnv: Record<string, string> = {}, files: Record<string, string> = {}): Promise<Project> {
  const repo = tempRepo({ "README.md": "# demo\n", ...files });
  writeFileSync(join(repo.dir, "plan.yaml"), planYaml(tasks));
  const db = await schemaUrl();
  const env = cleanEnv({
    DATABASE_URL: db.url,
    KAPPA_DRIVER: "command",
    KAPPA_COMMAND_TEMPLATE: template,
    KAPPA_RETRY_BASE_MS: "10",
    KAPPA_MAX_RETRIES: "0",
    KAPPA_LOG_LEVEL: "warn",
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@t",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@t",
    ...extraEnv,
  });
  return {
    dir: repo.dir,
    plan: join(repo.dir, "plan.yaml"),
    env,
    kappa: (...args) => runKappa(["--project", repo.dir, ...args], env),
    // One process (node --import tsx), so that a SIGKILL hits the orchestrator itself.
    spawnKappa: (...args) => spawnCli(repo.dir, env, args, false),
    spawnKappaInGroup: (...args) => spawnCli(repo.dir, env, args, true),
    async cleanup() {
      repo.cleanup();
      await db.drop();
    },
  };
}

export interface Event {
  type: string;
  runId?: string;
  taskId?: string;
  [k: string]: unknown;
}

export function ndjson(stdout: string): Event[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim().startsWith("{"))
    .map((l) => JSON.parse(l) as Event);
}

function spawnCli(dir: string, env: Record<string, string>, args: string[], detached: boolean): ChildProcess {
  return spawn(join(ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "--project", dir, ...args], {
    cwd: ROOT,
    env,
    detached,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * A file the tasks wait for (`wait` is the shell step): the test decides when they may finish. The directory
 * goes with the project's cleanup when `project` is given, else call `cleanup()`. It lives under /tmp, which the
 * session sandbox hides: runs whose tasks wait for it use `--no-sandbox`.
 */
export function releaseGate(): { wait: string; dir: string; open(): void; close(): void; cleanup(): void } {
  const d = tempDir();
  const file = join(d.dir, "release");
  return {
    wait: `until [ -e '${file}' ]; do sleep 0.05; done`,
    dir: d.dir,
    open: () => writeFileSync(file, ""),
    close: () => rmSync(file, { force: true }),
    cleanup: () => d.cleanup(),
  };
}

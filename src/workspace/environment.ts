/**
 * A task's environment: the user's untracked files it needs (e.g. `.env`), its own port range so that parallel
 * tasks' servers never collide, and the project's setup command run inside its worktree.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { InputError } from "../core/index.js";
import { git } from "./git.js";
import { recordCopiedFiles } from "./copied-files.js";
import { assertRunId, assertTaskId } from "./names.js";
import { runShell } from "./run-shell.js";

export interface PrepareTaskEnvironmentOptions {
  repo: string;
  /** The task's worktree. */
  dir: string;
  copyFiles: string[];
  setupCommand?: string | undefined;
  /** The task's position; it selects the task's port range. */
  taskIndex: number;
  portBase: number;
  portsPerTask: number;
  runId: string;
  taskId: string;
  signal?: AbortSignal | undefined;
  /** Limit for the setup command. */
  timeoutMs: number;
}

export interface TaskEnvironment {
  /** Variables for the task's session and commands: PORT, KAPPA_PORT_BASE, KAPPA_PORT_COUNT, KAPPA_TASK_ID, KAPPA_RUN_ID. */
  env: Record<string, string>;
  /** Files copied from the project into the worktree. */
  copied: string[];
  /** Configured files that do not exist in the project (reported, not fatal). */
  missing: string[];
  /** Configured files left alone because the worktree tracks its own version. */
  skipped: string[];
  setup?: { ok: boolean; output: string; durationMs: number; timedOut: boolean } | undefined;
}

const MAX_PORT = 65535;

/**
 * The first port of a task's range. Ranges wrap around before 65535, so the first `slots` tasks running at
 * once always get distinct, non-overlapping ranges.
 */
export function taskPortBase(taskIndex: number, portBase: number, portsPerTask: number): number {
  if (!Number.isInteger(taskIndex) || taskIndex < 0) throw new InputError(`invalid task index ${taskIndex}`, { hint: "pass the task's position, 0 or more" });
  const slots = Math.floor((MAX_PORT + 1 - portBase) / portsPerTask);
  if (!Number.isInteger(portBase) || !Number.isInteger(portsPerTask) || portBase < 1 || portsPerTask < 1 || slots < 1) {
    throw new InputError(`no room for ${portsPerTask} ports per task from port ${portBase}`, { hint: "lower taskPortBase or portsPerTask in .kappa/config.yaml" });
  }
  return portBase + (taskIndex % slots) * portsPerTask;
}

/** The variables every task gets. */
export function taskEnv(options: Pick<PrepareTaskEnvironmentOptions, "taskIndex" | "portBase" | "portsPerTask" | "runId" | "taskId">): Record<string, string> {
  const base = taskPortBase(options.taskIndex, options.portBase, options.portsPerTask);
  return {
    PORT: String(base),
    KAPPA_PORT_BASE: String(base),
    KAPPA_PORT_COUNT: String(options.portsPerTask),
    KAPPA_TASK_ID: options.taskId,
    KAPPA_RUN_ID: options.runId,
  };
}

/** A configured path must stay inside the project. */
function checkedRelative(path: string): string {
  const rel = normalize(path);
  if (isAbsolute(rel) || rel === ".." || rel.startsWith(`..${sep}`) || rel === "." ) {
    throw new InputError(`copyFiles entry "${path}" is not a file inside the project`, { hint: "list paths relative to the project root, such as .env or config/local.json" });
  }
  return rel;
}

export async function prepareTaskEnvironment(options: PrepareTaskEnvironmentOptions): Promise<TaskEnvironment> {
  const { repo, dir, signal } = options;
  assertRunId(options.runId);
  assertTaskId(options.taskId);
  const env = taskEnv(options);
  const copied: string[] = [];
  const missing: string[] = [];
  const skipped: string[] = [];
  for (const entry of options.copyFiles) {
    const rel = checkedRelative(entry);
    const source = join(repo, rel);
    if (!existsSync(source) || !statSync(source).isFile()) {
      missing.push(rel);
      continue;
    }
    const tracked = await git(["ls-files", "--error-unmatch", "--", rel], { cwd: dir, signal, okCodes: [0, 1] });
    if (tracked.code === 0) {
      // Overwriting a tracked file would put the user's local copy into the task's commit.
      skipped.push(rel);
      continue;
    }
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    copied.push(rel);
  }
  if (copied.length > 0) await recordCopiedFiles(dir, copied.map((p) => p.split(sep).join("/")), signal);

  let setup: TaskEnvironment["setup"];
  if (options.setupCommand !== undefined && options.setupCommand.trim() !== "") {
    const result = await runShell(options.setupCommand, { cwd: dir, env, timeoutMs: options.timeoutMs, signal });
    setup = { ok: result.ok, output: result.output, durationMs: result.durationMs, timedOut: result.timedOut };
  }
  return { env, copied, missing, skipped, setup };
}

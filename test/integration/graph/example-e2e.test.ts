import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { processesInside } from "../../../src/workspace/index.js";
import { ROOT, adminQuery } from "../cli/run-kappa.js";
import { ndjson, project, type Event, type Project } from "./pipeline-helpers.js";

/** The files of a branch; list-like files compared by their sorted lines (entries kept from both sides may come in either order). */
function tree(dir: string, branch: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of gitIn(dir, "ls-tree", "-r", "--name-only", branch).split("\n")) {
    const content = gitIn(dir, "show", `${branch}:${path}`);
    out[path] = path === "TASKS.md" ? content.split("\n").sort().join("\n") : content;
  }
  return out;
}

async function exampleProject(): Promise<Project> {
  const p = await project([], "true", { KAPPA_DRIVER: "claude", KAPPA_MAX_RETRIES: "1" });
  cpSync(join(ROOT, "examples", "cli-tool"), p.dir, { recursive: true });
  gitIn(p.dir, "add", "-A");
  gitIn(p.dir, "commit", "-q", "-m", "spec");
  return p;
}

describe("kappa run on an example spec (real Claude Code CLI, simulated model)", () => {
  const projects: Project[] = [];
  afterEach(async () => {
    for (const p of projects.splice(0)) await p.cleanup();
  });

  it("plans, runs and merges every task, and a run killed in the middle resumes to the same tree without re-running finished tasks", async () => {
    const unbroken = await exampleProject();
    projects.push(unbroken);
    const full = await unbroken.kappa("--json", "run", "--spec", join(unbroken.dir, "SPEC.md"), "--simulate", "-n", "4");
    const finished = ndjson(full.stdout).at(-1) as Event & { status: string; integrationBranch: string; tasks: { completed: string[] } };
    expect(finished).toMatchObject({ type: "run:finished", status: "completed" });
    expect(finished.tasks.completed.length).toBeGreaterThanOrEqual(8);
    // The overlapping edits of parallel tasks (TASKS.md) were merged without asking anyone.
    expect(ndjson(full.stdout).some((e) => e.type === "merge:done" && e.strategy !== "merge")).toBe(true);

    const killed = await exampleProject();
    projects.push(killed);
    const child = killed.spawnKappa("--json", "run", "--spec", join(killed.dir, "SPEC.md"), "--simulate", "-n", "4");
    let out = "";
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        if (ndjson(out).filter((e) => e.type === "merge:done").length >= 3) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("close", () => resolve());
    });
    const runId = ndjson(out).find((e) => e.type === "run:started")?.runId ?? "";
    const mergedBeforeKill = ndjson(out).filter((e) => e.type === "merge:done").map((e) => e.taskId ?? "");
    expect(mergedBeforeKill.length).toBeGreaterThanOrEqual(3);
    const resumed = await killed.kappa("--json", "resume", runId);
    const last = ndjson(resumed.stdout).at(-1) as Event & { status: string; integrationBranch: string };
    if (last.status !== "completed") console.error(resumed.stdout.split("\n").filter((l) => /failed|conflict|skipped/.test(l)).join("\n"), resumed.stderr);
    expect(last).toMatchObject({ type: "run:finished", status: "completed" });
    expect(tree(killed.dir, last.integrationBranch)).toEqual(tree(unbroken.dir, finished.integrationBranch));

    const schema = new URL(killed.env.DATABASE_URL ?? "").searchParams.get("options")?.split("=")[1] ?? "";
    const sessions = await adminQuery<{ task_id: string; n: string }>(`SELECT task_id, count(*) AS n FROM ${schema}.sessions GROUP BY task_id`);
    for (const id of mergedBeforeKill) expect(Number(sessions.find((s) => s.task_id === id)?.n), id).toBe(1);
    const startedAgain = ndjson(resumed.stdout).filter((e) => e.type === "task:started").map((e) => e.taskId);
    for (const id of mergedBeforeKill) expect(startedAgain).not.toContain(id);
    // The sessions the killed orchestrator left running were stopped; nothing runs in the worktrees any more.
    expect(processesInside(join(killed.dir, ".kappa", "worktrees"))).toEqual([]);
  });
});

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, testDatabase } from "../../helpers/db.js";
import { tempRepo, writeFiles } from "../../helpers/git.js";
import { activeRunIds, ensureProject, projectIdFor, type Database } from "../../../src/knowledge/index.js";
import { commitTaskWork, createIntegrationBranch, prepareTaskWorktree, taskWorktreePath } from "../../../src/workspace/index.js";

const run = promisify(execFile);
const signal = new AbortController().signal;

describe("kappa clean", () => {
  let db: Database & { drop(): Promise<void> };
  let repo: { dir: string; cleanup(): void };

  beforeEach(async () => {
    db = await testDatabase();
    repo = tempRepo({ "README.md": "# app\n" });
    await ensureProject(db.pool, repo.dir, "app");
  });
  afterEach(async () => {
    repo?.cleanup();
    await db?.drop();
  });

  async function addRun(id: string, status: string, heartbeatSecondsAgo: number | null): Promise<void> {
    await db.pool.query(
      `INSERT INTO runs (id, project_id, status, plan, heartbeat_at)
       VALUES ($1, $2, $3, '{}', CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(secs => $4::int) END)`,
      [id, projectIdFor(repo.dir), status, heartbeatSecondsAgo],
    );
  }

  async function task(runId: string, taskId: string): Promise<string> {
    const { branch } = await createIntegrationBranch({ repo: repo.dir, runId, signal });
    const wt = await prepareTaskWorktree({ repo: repo.dir, runId, taskId, from: branch, signal });
    writeFiles(wt.dir, { [`${taskId}.txt`]: "x\n" });
    await commitTaskWork({ dir: wt.dir, runId, taskId, title: taskId, signal });
    return wt.dir;
  }

  async function kappa(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("options", `-c search_path=${db.schema ?? "public"}`);
    return run("npx", ["tsx", "src/cli/main.ts", "--project", repo.dir, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: url.toString(), NO_COLOR: "1", KAPPA_LOG_LEVEL: "error" },
    });
  }

  it("counts as active only the project's running runs with a recent heartbeat", async () => {
    await addRun("live", "running", 5);
    await addRun("crashed", "running", 600);
    await addRun("never-beat", "running", null);
    await addRun("done", "completed", 1);
    expect(await activeRunIds(db.pool, repo.dir)).toEqual(new Set(["live"]));
    expect(await activeRunIds(db.pool, "/some/other/project")).toEqual(new Set());
  });

  it("--dry-run --json lists what it would remove and what it keeps with reasons, leaving active runs alone", async () => {
    await addRun("live", "running", 1);
    await addRun("crashed", "running", 600);
    const liveDir = await task("live", "ui");
    const crashedDir = await task("crashed", "api");
    writeFiles(crashedDir, { "unsaved.txt": "work\n" });
    const otherDir = await task("crashed", "db");

    const { stdout } = await kappa("clean", "--dry-run", "--json");
    const output = JSON.parse(stdout) as { dryRun: boolean; activeRuns: string[]; removed: string[]; kept: { kind: string; runId: string; path: string; reason: string; hint?: string }[] };
    expect(output.dryRun).toBe(true);
    expect(output.activeRuns).toEqual(["live"]);
    expect(output.removed).toEqual([".kappa/worktrees/crashed/db"]);
    expect(output.kept).toContainEqual({
      kind: "worktree", runId: "crashed", path: ".kappa/worktrees/crashed/api",
      reason: "has uncommitted changes (1 file: unsaved.txt)", hint: `commit or copy them (cd ${crashedDir}), then run kappa clean again`,
    });
    expect(output.kept.map((k) => k.path)).toEqual(expect.arrayContaining(["kappa/crashed/api", "kappa/crashed/db", "kappa/crashed/main"]));
    expect(output.kept.every((k) => k.runId === "crashed" && k.reason.length > 0)).toBe(true);
    expect(existsSync(otherDir) && existsSync(liveDir)).toBe(true);
  });

  it("removes what is safe and prints each kept item with a fix", async () => {
    const dirty = await task("old", "api");
    writeFiles(dirty, { "unsaved.txt": "work\n" });
    const clean = await task("old", "db");
    const { stdout } = await kappa("clean");
    expect(existsSync(clean)).toBe(false);
    expect(existsSync(dirty)).toBe(true);
    expect(stdout).toMatch(/^removed +\.kappa\/worktrees\/old\/db$/m);
    expect(stdout).toMatch(/^kept +\.kappa\/worktrees\/old\/api: has uncommitted changes \(1 file: unsaved\.txt\)$/m);
    expect(stdout).toContain("fix: commit or copy them");
    expect(clean).toBe(taskWorktreePath(repo.dir, "old", "db"));
  });
});

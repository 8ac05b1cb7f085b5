import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_DATABASE_URL, testDatabase } from "../../helpers/db.js";
import { gitIn } from "../../helpers/git.js";
import { applyResolution, mergeIntoBranch, PgPrecedentStore, queueConflict } from "../../../src/conflict/index.js";
import { ensureProject, findPrecedent, getConflict, listConflicts, openConflictsForRun, resolveConflict } from "../../../src/knowledge/index.js";
import { runConflictCommands } from "./cli.js";
import { context, scenario, type Scenario } from "./fixtures.js";

type Db = Awaited<ReturnType<typeof testDatabase>>;
const signal = AbortSignal.timeout(60_000);
const MANUAL = [{ glob: "**", strategies: ["merge" as const, "structured" as const, "manual" as const] }];

let db: Db;
let s: Scenario;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});
afterEach(() => s.cleanup());

async function conflictScenario() {
  s = scenario({ "f.ts": "x = 1\n" });
  s.branch("t1", "main", { "f.ts": "x = 2\n" });
  s.branch("t2", "main", { "f.ts": "x = 3\n" });
  const project = await ensureProject(db.pool, s.dir, "p");
  const runId = `r-${Math.random().toString(36).slice(2, 8)}`;
  await db.pool.query("INSERT INTO runs (id, project_id, plan) VALUES ($1, $2, '{}')", [runId, project.id]);
  const ctx = { ...context("t2"), runId };
  const merge = (taskId: string, precedents?: PgPrecedentStore) => mergeIntoBranch({ repo: s.dir, branch: "integration", theirs: taskId, message: `Merge ${taskId}`, rules: MANUAL, context: { ...ctx, taskId }, precedents, signal });
  await merge("t1");
  return { runId, ctx, merge };
}

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${db.schema ?? "public"}`);
  vi.stubEnv("DATABASE_URL", url.toString());
  const writes: string[] = [];
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await runConflictCommands(["node", "kappa", "-C", s.dir, ...args]);
    return { code, out: writes.join("") };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

describe("the manual review queue", () => {
  it("a conflict waits in PostgreSQL, `kappa resolve --ours` stores the answer and applyResolution merges it", async () => {
    const { runId, ctx, merge } = await conflictScenario();
    const before = s.head("integration");
    const out = await merge("t2");
    expect(out.status).toBe("conflict");
    if (out.status !== "conflict") return;
    const row = await queueConflict(db.pool, out, ctx, "Merge t2");
    expect((await openConflictsForRun(db.pool, runId)).map((c) => c.id)).toEqual([row.id]);

    const listed = await cli("--json", "conflicts", "--run", runId);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out.trim())).toMatchObject({ id: row.id, taskId: "t2", files: [{ path: "f.ts", ours: "x = 2\n", theirs: "x = 3\n" }] });

    expect((await cli("resolve", "--conflict", String(row.id), "--ours")).code).toBe(0);
    const resolved = await getConflict(db.pool, row.id);
    expect(resolved).toMatchObject({ status: "resolved", resolution: { kind: "ours", files: { "f.ts": "x = 2\n" } } });
    expect(s.head("integration")).toBe(before);

    // A fresh process (after a restart) reads the row back and merges.
    const applied = await applyResolution({ repo: s.dir, branch: "integration", conflict: resolved!, precedents: new PgPrecedentStore(db.pool), signal });
    expect(applied).toMatchObject({ status: "merged", strategy: "manual" });
    expect(s.show("integration", "f.ts")).toBe("x = 2\n");
    expect(gitIn(s.dir, "log", "-1", "--format=%P", "integration").split(" ")).toContain(s.head("t2"));
  });

  it("the same conflict shape met again is resolved by precedent, and its use is counted", async () => {
    const { ctx, merge } = await conflictScenario();
    const out = await merge("t2");
    if (out.status !== "conflict") throw new Error("expected a conflict");
    const row = await queueConflict(db.pool, out, ctx, "Merge t2");
    const stored = await resolveConflict(db.pool, row.id, { kind: "file", files: { "f.ts": "x = 2 + 3\n" } });
    const store = new PgPrecedentStore(db.pool);
    expect(await applyResolution({ repo: s.dir, branch: "integration", conflict: stored.ok ? stored.conflict : row, precedents: store, signal })).toMatchObject({ status: "merged" });

    // Another task makes the same change as t2 on top of main: same conflict, same answer, nobody asked.
    s.branch("t3", "main", { "f.ts": "x = 3\n", "g.ts": "g\n" });
    gitIn(s.dir, "branch", "-f", "integration2", s.head("t1"));
    const again = await mergeIntoBranch({ repo: s.dir, branch: "integration2", theirs: "t3", message: "Merge t3", rules: MANUAL, context: { ...ctx, taskId: "t3" }, precedents: store, signal });
    expect(again).toMatchObject({ status: "merged", strategies: { "f.ts": "precedent" } });
    expect(s.show("integration2", "f.ts")).toBe("x = 2 + 3\n");
    const shape = out.conflicts[0] ? (await db.pool.query<{ shape_hash: string }>("SELECT shape_hash FROM merge_precedents")).rows[0]?.shape_hash : undefined;
    expect((await findPrecedent(db.pool, shape ?? ""))?.uses).toBe(1);
  });

  it("a stored resolution that no longer applies after the branch moved gives a conflict again", async () => {
    const { ctx, merge } = await conflictScenario();
    const out = await merge("t2");
    if (out.status !== "conflict") throw new Error("expected a conflict");
    const row = await queueConflict(db.pool, out, ctx, "Merge t2");
    const stored = await resolveConflict(db.pool, row.id, { kind: "theirs", files: { "f.ts": "x = 3\n" } });
    s.branch("t9", "integration", { "f.ts": "x = 9\n" });
    gitIn(s.dir, "branch", "-f", "integration", "t9");
    const again = await applyResolution({ repo: s.dir, branch: "integration", conflict: stored.ok ? stored.conflict : row, signal });
    expect(again).toMatchObject({ status: "conflict", files: ["f.ts"] });
    expect(s.head("integration")).toBe(s.head("t9"));
  });

  it("resolving an unknown or badly written conflict id exits 2 with a hint; resolving twice is refused", async () => {
    const { runId, ctx, merge } = await conflictScenario();
    expect((await cli("resolve", "--conflict", "987654", "--ours")).code).toBe(2);
    expect((await cli("resolve", "--conflict", "abc", "--ours")).code).toBe(2);
    expect((await cli("resolve", "--conflict", "1", "--ours", "--theirs")).code).toBe(2);
    const out = await merge("t2");
    if (out.status !== "conflict") throw new Error("expected a conflict");
    const row = await queueConflict(db.pool, out, ctx, "Merge t2");
    expect((await cli("resolve", "--conflict", String(row.id), "--theirs")).code).toBe(0);
    expect((await cli("resolve", "--conflict", String(row.id), "--ours")).code).toBe(2);
    expect(await listConflicts(db.pool, { runId, status: "open" })).toEqual([]);
  });
});

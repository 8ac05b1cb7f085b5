import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { sleep, silentLogger } from "../../../src/core/index.js";
import { startEmbedded, type EmbeddedServer } from "../../../src/knowledge/index.js";
import { gitIn, tempDir } from "../../helpers/git.js";
import { ndjson, project, releaseGate, type Event, type Project } from "./pipeline-helpers.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A PostgreSQL server of the test's own (never the shared one), which the test stops and starts. */
async function ownServer(): Promise<{ url: string; stop(): Promise<void>; start(): Promise<void> }> {
  const d = tempDir();
  chmodSync(d.dir, 0o755); // as root the server runs as the 'postgres' user
  const pgDir = join(d.dir, "pg");
  const servers: EmbeddedServer[] = [];
  const first = await startEmbedded(pgDir, silentLogger());
  servers.push(first);
  const stop = async (): Promise<void> => {
    const pidFile = join(first.dataDir, "postmaster.pid");
    if (!existsSync(pidFile)) return;
    process.kill(Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10), "SIGINT"); // fast shutdown
    for (let i = 0; i < 300 && existsSync(pidFile); i++) await sleep(50); // until it has gone, at most 15 s
  };
  cleanups.push(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    await stop();
    d.cleanup();
  });
  return {
    url: first.url,
    stop,
    async start() {
      servers.push(await startEmbedded(pgDir, silentLogger(), { port: first.port }));
    },
  };
}

/** Collects kappa's NDJSON events and stderr; `until` resolves when an event matching `test` arrives. */
function watch(child: ReturnType<Project["spawnKappa"]>): { events(): Event[]; stderr(): string; until(test: (e: Event) => boolean): Promise<void>; closed: Promise<number | null> } {
  let out = "";
  let err = "";
  const waiters: Array<{ test: (e: Event) => boolean; resolve: () => void }> = [];
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
    const events = ndjson(out);
    for (const w of waiters.splice(0)) (events.some(w.test) ? w.resolve : () => waiters.push(w))();
  });
  child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    events: () => ndjson(out),
    stderr: () => err,
    closed,
    until: (test) => new Promise<void>((resolve, reject) => {
      if (ndjson(out).some(test)) return resolve();
      waiters.push({ test, resolve });
      void closed.then(() => reject(new Error(`kappa exited before the awaited event; stderr: ${err}`)));
    }),
  };
}

const STACK_LINE = /^\s+at .+[:(]/m;

describe("a database outage during a run", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
  });

  it("lets the sessions finish while PostgreSQL is down, merges once it is back, and completes the run", async () => {
    const db = await ownServer();
    const gate = releaseGate();
    cleanups.push(() => gate.cleanup());
    // Each task waits for the gate, then leaves a marker outside the repository: proof its session ran to the end.
    p = await project([{ id: "a" }, { id: "b" }], `${gate.wait}; echo {taskId} > {taskId}.txt; touch '${gate.dir}'/{taskId}.done`, { DATABASE_URL: db.url });
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "-n", "2", "--no-sandbox");
    const run = watch(child);
    cleanups.push(() => void child.kill("SIGKILL"));
    await run.until(() => run.events().filter((e) => e.type === "session:started").length === 2);

    await db.stop();
    await run.until((e) => e.type === "database:lost");
    gate.open();
    for (let i = 0; i < 600 && !["a", "b"].every((t) => existsSync(join(gate.dir, `${t}.done`))); i++) await sleep(50);
    expect(["a", "b"].every((t) => existsSync(join(gate.dir, `${t}.done`)))).toBe(true); // sessions kept running
    expect(run.events().filter((e) => e.type === "merge:done")).toHaveLength(0); // merging waits for the database

    await db.start();
    expect(await run.closed).toBe(0);
    const events = run.events();
    expect(events.some((e) => e.type === "database:restored")).toBe(true);
    expect(events.filter((e) => e.type === "merge:done").map((e) => e.taskId).sort()).toEqual(["a", "b"]);
    expect(events.at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
    expect(run.stderr()).not.toMatch(STACK_LINE);
    const branch = (events.at(-1) as unknown as { integrationBranch: string }).integrationBranch;
    expect(gitIn(p.dir, "ls-tree", "--name-only", branch).split("\n")).toEqual(expect.arrayContaining(["a.txt", "b.txt"]));
  }, 120_000);

  it("carries on when every one of its connections is terminated with pg_terminate_backend mid-run", async () => {
    const db = await ownServer();
    const gate = releaseGate();
    cleanups.push(() => gate.cleanup());
    p = await project([{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }], `${gate.wait}; echo {taskId} > {taskId}.txt`, { DATABASE_URL: db.url });
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "-n", "2", "--no-sandbox");
    const run = watch(child);
    cleanups.push(() => void child.kill("SIGKILL"));
    await run.until(() => run.events().filter((e) => e.type === "session:started").length === 2);

    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'kappa' AND pid <> pg_backend_pid()");
      expect(rows[0]?.n).toBeGreaterThanOrEqual(2); // at least the run lock's connection and the pool's
    } finally {
      await admin.end();
    }
    gate.open();
    expect(await run.closed).toBe(0);
    const events = run.events();
    expect(events.some((e) => e.type === "database:lost")).toBe(true);
    expect(events.filter((e) => e.type === "merge:done").map((e) => e.taskId).sort()).toEqual(["a", "b", "c"]);
    expect(events.at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
    expect(run.stderr()).not.toMatch(STACK_LINE);
  }, 120_000);

  it("stops with one error: and fix: line (and an error event) when PostgreSQL stays away past dbReconnectTimeout, and resume completes the run", async () => {
    const db = await ownServer();
    const gate = releaseGate();
    cleanups.push(() => gate.cleanup());
    p = await project([{ id: "a" }], `${gate.wait}; echo {taskId} > {taskId}.txt`, { DATABASE_URL: db.url, KAPPA_DB_RECONNECT_TIMEOUT: "2" });
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "--no-sandbox");
    const run = watch(child);
    cleanups.push(() => void child.kill("SIGKILL"));
    await run.until((e) => e.type === "session:started");
    const runId = run.events()[0]?.runId ?? "";

    await db.stop();
    expect(await run.closed).toBe(1);
    const stderr = run.stderr();
    expect(stderr).not.toMatch(STACK_LINE);
    const errorLines = stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/lost the connection to PostgreSQL .* did not come back within 2 s/);
    expect(stderr).toMatch(new RegExp(`fix: .*kappa resume ${runId}`));
    expect(run.events().at(-1)).toMatchObject({ type: "error", code: "DATABASE" });

    await db.start();
    gate.open();
    const resumed = await p.kappa("--json", "resume", runId);
    expect(resumed.stderr).not.toMatch(/error:/);
    expect(ndjson(resumed.stdout).at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
  }, 120_000);
});

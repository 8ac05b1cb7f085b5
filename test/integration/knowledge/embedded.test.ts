import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { sleep, silentLogger } from "../../../src/core/index.js";
import { currentDataDir, liveServerPort, SHARED_CLUSTER_ROOT, startEmbedded } from "../../../src/knowledge/index.js";
import { tempDir } from "../../helpers/git.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HANG_FIXTURE = fileURLToPath(new URL("./fixtures/start-embedded-and-hang.ts", import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A project directory the `postgres` system user can traverse (the server runs as it when we are root). */
function projectDir(): string {
  const d = tempDir();
  chmodSync(d.dir, 0o755);
  const pgDir = join(d.dir, ".kappa", "pg");
  cleanups.push(() => d.cleanup());
  cleanups.push(() => stopServerOf(pgDir));
  return d.dir;
}

/** Stops whatever server runs on `pgDir` (fast shutdown) and waits until it has gone. */
async function stopServerOf(pgDir: string): Promise<void> {
  const pidFile = join(currentDataDir(pgDir), "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 300 && existsSync(pidFile); i++) await sleep(50);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL server", () => {
  it("is created under .kappa/pg on first start, answers queries, and keeps its data across a stop and a restart", async () => {
    const pgDir = join(projectDir(), ".kappa", "pg");
    const first = await startEmbedded(pgDir, silentLogger());
    expect(first.owned).toBe(true);
    expect(first.url).toContain("127.0.0.1");
    expect(existsSync(join(pgDir, "data", "PG_VERSION"))).toBe(true);
    expect(statSync(join(pgDir, "password")).mode & 0o077).toBe(0);
    expect(liveServerPort(join(pgDir, "data"))).toBe(first.port);
    await query(first.url, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
    expect(await query<{ one: number }>(first.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

    await first.stop();
    expect(existsSync(join(pgDir, "data", "postmaster.pid"))).toBe(false);
    expect(liveServerPort(join(pgDir, "data"))).toBeUndefined();

    const second = await startEmbedded(pgDir, silentLogger());
    try {
      expect(second.owned).toBe(true);
      expect(await query<{ body: string }>(second.url, "SELECT body FROM notes")).toEqual([{ body: "kept" }]);
    } finally {
      await second.stop();
    }
  });

  it("is reused, data intact, after the process that started it was SIGKILLed", async () => {
    const pgDir = join(projectDir(), ".kappa", "pg");
    const child = spawn(process.execPath, ["--import", "tsx", HANG_FIXTURE, pgDir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    cleanups.push(() => void child.kill("SIGKILL"));
    const ready = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) resolve(out.trim());
      });
      child.on("exit", (code) => reject(new Error(`the child exited with ${code} before starting the server: ${stderr}`)));
    });
    const [, port, owned] = ready.split(" ");
    expect(owned).toBe("true");

    child.kill("SIGKILL");
    await exited;

    const reused = await startEmbedded(pgDir, silentLogger());
    expect(reused.owned).toBe(false);
    expect(String(reused.port)).toBe(port);
    expect(await query<{ note: string }>(reused.url, "SELECT note FROM crash_survivor")).toEqual([{ note: "written before the crash" }]);
    await reused.stop(); // nobody else uses it: the last one to leave stops it, whoever started it
    expect(liveServerPort(join(pgDir, "data"))).toBeUndefined();
  });

  it("keeps running for the other kappa processes using it when the one that started it leaves, and stops with the last", async () => {
    const pgDir = join(projectDir(), ".kappa", "pg");
    const first = await startEmbedded(pgDir, silentLogger());
    const second = await startEmbedded(pgDir, silentLogger());
    expect([first.owned, second.owned]).toEqual([true, false]);
    expect(second.port).toBe(first.port);
    await first.stop();
    expect(liveServerPort(join(pgDir, "data"))).toBe(first.port);
    expect(await query<{ one: number }>(second.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    const third = await startEmbedded(pgDir, silentLogger());
    await second.stop();
    expect(await query<{ one: number }>(third.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await third.stop();
    expect(liveServerPort(join(pgDir, "data"))).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)("keeps the cluster under /var/lib/kappa/pg, as root, when the postgres user cannot enter the project, and finds it again", async () => {
    const d = tempDir(); // mode 0700, owned by root: the 'postgres' user cannot enter it
    const pgDir = join(d.dir, ".kappa", "pg");
    cleanups.push(() => d.cleanup());
    const first = await startEmbedded(pgDir, silentLogger());
    cleanups.push(() => rmSync(dirname(first.dataDir), { recursive: true, force: true }));
    cleanups.push(() => stopServerOf(pgDir));
    expect(first.dataDir.startsWith(`${SHARED_CLUSTER_ROOT}/`)).toBe(true);
    expect(existsSync(join(first.dataDir, "PG_VERSION"))).toBe(true);
    expect(currentDataDir(pgDir)).toBe(first.dataDir);
    expect(readFileSync(join(pgDir, "data-location"), "utf8").trim()).toBe(first.dataDir);
    await query(first.url, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
    await first.stop();
    expect(liveServerPort(first.dataDir)).toBeUndefined();

    const second = await startEmbedded(pgDir, silentLogger());
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect(await query<{ body: string }>(second.url, "SELECT body FROM notes")).toEqual([{ body: "kept" }]);
    } finally {
      await second.stop();
    }
  });
});

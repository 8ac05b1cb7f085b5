import { chmodSync, existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sleep } from "../../../src/core/index.js";
import { currentDataDir, liveServerPort, SHARED_CLUSTER_ROOT } from "../../../src/knowledge/index.js";
import { gitIn, tempRepo } from "../../helpers/git.js";
import { cleanEnv, runKappa } from "./run-kappa.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Stops a server left on `dataDir` (only if a test failed half-way) and waits for it to go. */
async function stopLeftover(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10), "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 300 && existsSync(pidFile); i++) await sleep(50);
}

describe("kappa without DATABASE_URL", () => {
  it("boots the embedded PostgreSQL under .kappa/pg for init and doctor, then stops it", async () => {
    const repo = tempRepo();
    chmodSync(repo.dir, 0o755); // the server runs as the 'postgres' user when we are root
    const dataDir = join(repo.dir, ".kappa", "pg", "data");
    cleanups.push(() => repo.cleanup());
    cleanups.push(() => stopLeftover(dataDir));
    const env = cleanEnv();

    const init = await runKappa(["--project", repo.dir, "--json", "init"], env);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout.trim())).toMatchObject({ embedded: true });
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
    expect(liveServerPort(dataDir)).toBeUndefined();

    const doctor = await runKappa(["--project", repo.dir, "doctor", "--json"], env);
    const report = JSON.parse(doctor.stdout.trim()) as { checks: Array<{ name: string; status: string; detail: string }> };
    expect(report.checks.find((c) => c.name === "database")).toMatchObject({ status: "ok", detail: expect.stringContaining("embedded") as unknown });
    expect(liveServerPort(dataDir)).toBeUndefined();

    // The database, its password and the logs are runtime state that git ignores.
    const untracked = gitIn(repo.dir, "status", "--porcelain", "--untracked-files=all").split("\n").map((l) => l.slice(3)).sort();
    expect(untracked).toEqual([".kappa/.gitignore", ".kappa/config.yaml", "CLAUDE.md"]);
  });

  it.runIf(process.getuid?.() === 0)("works for root in a private mktemp -d project and says where the data is", async () => {
    const repo = tempRepo(); // mode 0700, owned by root: the 'postgres' user cannot enter it
    cleanups.push(() => repo.cleanup());
    const env = cleanEnv();

    const init = await runKappa(["--project", repo.dir, "init"], env);
    expect(init.code).toBe(0);
    const dataDir = currentDataDir(join(repo.dir, ".kappa", "pg"));
    cleanups.push(() => rmSync(dirname(dataDir), { recursive: true, force: true }));
    cleanups.push(() => stopLeftover(dataDir));
    expect(dataDir.startsWith(`${SHARED_CLUSTER_ROOT}/`)).toBe(true);
    expect(init.stdout).toContain(`data in ${dataDir}`);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

    const doctor = await runKappa(["--project", repo.dir, "doctor", "--json"], env);
    const report = JSON.parse(doctor.stdout.trim()) as { checks: Array<{ name: string; status: string; detail: string }> };
    expect(report.checks.find((c) => c.name === "database")).toMatchObject({ status: "ok", detail: expect.stringContaining(dataDir) as unknown });
    expect(liveServerPort(dataDir)).toBeUndefined();
  });
});

import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sleep } from "../../../src/core/index.js";
import { liveServerPort } from "../../../src/knowledge/index.js";
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
});

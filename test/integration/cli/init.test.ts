import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn, tempDir, tempRepo } from "../../helpers/git.js";
import { adminQuery, cleanEnv, runKappa, schemaUrl } from "./run-kappa.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const MANAGED = [".kappa/.gitignore", ".kappa/config.yaml", "CLAUDE.md"];

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(MANAGED.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

describe("kappa init", () => {
  it("sets up .kappa/ and CLAUDE.md once; a second run creates nothing and changes no file", async () => {
    const repo = tempRepo();
    cleanups.push(() => repo.cleanup());
    const db = await schemaUrl();
    cleanups.push(() => db.drop());
    const env = cleanEnv({ DATABASE_URL: db.url });

    const first = await runKappa(["--project", repo.dir, "init", "--name", "shop-api"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("created .kappa/");
    for (const f of MANAGED) expect(existsSync(join(repo.dir, f))).toBe(true);
    expect(readFileSync(join(repo.dir, ".kappa/config.yaml"), "utf8")).toContain("maxParallelSessions");
    const before = snapshot(repo.dir);
    const kappaFiles = readdirSync(join(repo.dir, ".kappa")).sort();
    // Runtime state stays out of git: only the configuration and the conventions file show up.
    expect(gitIn(repo.dir, "status", "--porcelain", "--untracked-files=all").split("\n").map((l) => l.slice(3)).sort()).toEqual([...MANAGED].sort());

    const second = await runKappa(["--project", repo.dir, "--json", "init", "--name", "shop-api"], env);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout.trim()) as { created: string[]; project: { name: string; id: string } };
    expect(report.created).toEqual([]);
    expect(report.project.name).toBe("shop-api");
    expect(snapshot(repo.dir)).toEqual(before);
    // Only runtime state (the log every command writes) may appear; git sees no change.
    expect(readdirSync(join(repo.dir, ".kappa")).filter((f) => f !== "logs").sort()).toEqual(kappaFiles);
    expect(gitIn(repo.dir, "status", "--porcelain", "--untracked-files=all").split("\n").map((l) => l.slice(3)).sort()).toEqual([...MANAGED].sort());

    const rows = await adminQuery<{ name: string; root: string }>(`SELECT name, root FROM ${db.schema}.projects`);
    expect(rows).toEqual([{ name: "shop-api", root: repo.dir }]);
  });

  it("keeps an existing CLAUDE.md and configuration untouched", async () => {
    const repo = tempRepo({ "CLAUDE.md": "# ours\n", ".kappa/config.yaml": "maxParallelSessions: 2\n" });
    cleanups.push(() => repo.cleanup());
    const db = await schemaUrl();
    cleanups.push(() => db.drop());
    const r = await runKappa(["--project", repo.dir, "init"], cleanEnv({ DATABASE_URL: db.url }));
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo.dir, "CLAUDE.md"), "utf8")).toBe("# ours\n");
    expect(readFileSync(join(repo.dir, ".kappa/config.yaml"), "utf8")).toBe("maxParallelSessions: 2\n");
    expect(existsSync(join(repo.dir, ".kappa/.gitignore"))).toBe(true);
  });

  it("accepts the top of a repository reached through a symlink, and refuses a subdirectory naming the top", async () => {
    const repo = tempRepo({ "src/app.ts": "export {};\n" });
    cleanups.push(() => repo.cleanup());
    const link = `${repo.dir}-link`;
    symlinkSync(repo.dir, link);
    cleanups.push(() => rmSync(link, { force: true }));
    const db = await schemaUrl();
    cleanups.push(() => db.drop());
    const env = cleanEnv({ DATABASE_URL: db.url });
    const viaLink = await runKappa(["--project", link, "init"], env);
    expect(viaLink.stderr).toBe("");
    expect(viaLink.code).toBe(0);
    expect(existsSync(join(repo.dir, ".kappa/config.yaml"))).toBe(true);

    const sub = await runKappa(["--project", join(repo.dir, "src"), "init"], env);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain(`run kappa init in ${repo.dir}`);
    expect(existsSync(join(repo.dir, "src", ".kappa"))).toBe(false);
  });

  it("refuses a directory that is not a git repository with exit 2, naming it and telling to run git init", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const r = await runKappa(["--project", dir.dir, "init"], cleanEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(dir.dir);
    expect(r.stderr).toContain("git init");
    expect(r.stdout).toBe("");
    expect(readdirSync(dir.dir)).toEqual([]);
  });

  it("refuses a bad configuration value with exit 2 and a message naming the variable", async () => {
    const repo = tempRepo();
    cleanups.push(() => repo.cleanup());
    const r = await runKappa(["--project", repo.dir, "init"], cleanEnv({ KAPPA_MAX_PARALLEL_SESSIONS: "many" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("KAPPA_MAX_PARALLEL_SESSIONS");
    expect(r.stderr).toContain("fix:");
    expect(existsSync(join(repo.dir, ".kappa"))).toBe(false);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { tempRepo } from "../../helpers/git.js";
import { cleanEnv, runKappa, schemaUrl } from "./run-kappa.js";

const SECRET = "sk-test-secret-123456";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix?: string;
}

async function setup(): Promise<{ dir: string; url: string }> {
  const repo = tempRepo();
  cleanups.push(() => repo.cleanup());
  const db = await schemaUrl();
  cleanups.push(() => db.drop());
  return { dir: repo.dir, url: db.url };
}

describe("kappa doctor", () => {
  it("reports every check as JSON with a status, a detail and a fix, and never prints the API key", async () => {
    const { dir, url } = await setup();
    const r = await runKappa(["--project", dir, "doctor", "--json"], cleanEnv({ DATABASE_URL: url, ANTHROPIC_API_KEY: SECRET }));
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).not.toContain(SECRET);
    const report = JSON.parse(r.stdout.trim()) as { ok: boolean; checks: Check[] };
    expect(Object.keys(report).sort()).toEqual(["checks", "ok"]);
    expect(report.checks.map((c) => c.name)).toEqual(["node", "git", "database", "claude-code", "sandbox", "api-key"]);
    for (const check of report.checks) {
      expect(["ok", "warn", "fail"]).toContain(check.status);
      expect(typeof check.detail).toBe("string");
      expect(check.detail.length).toBeGreaterThan(0);
      if (check.status !== "ok") expect(check.fix, `${check.name} needs a fix`).toBeTruthy();
    }
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.node).toMatchObject({ status: "ok", detail: expect.stringMatching(/^Node \d+\.\d+\.\d+/) as unknown });
    expect(byName.git?.status).toBe("ok");
    expect(byName.database).toMatchObject({ status: "ok", detail: expect.stringContaining("PostgreSQL") as unknown });
    expect(byName["api-key"]).toMatchObject({ status: "ok", detail: "ANTHROPIC_API_KEY set" });
    expect(report.ok).toBe(report.checks.every((c) => c.status !== "fail"));
    expect(r.code).toBe(report.ok ? 0 : 1);
  });

  it("warns about a missing API key with a fix, without failing", async () => {
    const { dir, url } = await setup();
    const r = await runKappa(["--project", dir, "doctor", "--json"], cleanEnv({ DATABASE_URL: url }));
    const report = JSON.parse(r.stdout.trim()) as { ok: boolean; checks: Check[] };
    const key = report.checks.find((c) => c.name === "api-key");
    expect(key?.status).toBe("warn");
    expect(key?.detail).toContain("ANTHROPIC_API_KEY");
    expect(key?.fix).toContain("ANTHROPIC_API_KEY");
  });

  it("prints a readable report that shows neither the API key nor the database password", async () => {
    const { dir, url } = await setup();
    const withPassword = url.replace("postgres@", "postgres:pw-not-to-be-shown@");
    const r = await runKappa(["--project", dir, "doctor"], cleanEnv({ DATABASE_URL: withPassword, ANTHROPIC_API_KEY: SECRET }));
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain("pw-not-to-be-shown");
    }
    expect(r.stdout).toMatch(/^ok\s+node\s+Node /m);
    expect(r.stdout).toMatch(/^ok\s+database\s+PostgreSQL/m);
    expect(r.stdout).toMatch(/^ok\s+api-key\s+ANTHROPIC_API_KEY set/m);
  });

  it("fails the database check with exit 1 and a fix when DATABASE_URL points nowhere", async () => {
    const { dir } = await setup();
    const r = await runKappa(["--project", dir, "doctor", "--json"], cleanEnv({ DATABASE_URL: "postgresql://kappa:secret-pw-1@127.0.0.1:1/none" }));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout.trim()) as { ok: boolean; checks: Check[] };
    expect(report.ok).toBe(false);
    const database = report.checks.find((c) => c.name === "database");
    expect(database?.status).toBe("fail");
    expect(database?.fix).toContain("DATABASE_URL");
    expect(r.stdout + r.stderr).not.toContain("secret-pw-1");
  });
});

/**
 * Bad input through the real CLI (a process per case): one `error:` and one `fix:` line, exit 2, no stack
 * trace, and the project exactly as it was — no `.kappa/`, no empty `.kappa/sessions/`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { heuristicPlan } from "../../../src/decomposition/index.js";
import { tempRepo, writeFiles } from "../../helpers/git.js";
import { aliasBomb } from "../../fuzz/inputs.js";
import { cleanEnv, runKappa, type KappaResult } from "./run-kappa.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

const SPEC = "# Tool\n\n## Commands\n\n- `tool add` MUST add an item\n";
const PLAN = heuristicPlan(SPEC, {});

function project(files: Record<string, string>): string {
  const repo = tempRepo({ "README.md": "# test\n", ...files });
  cleanups.push(() => repo.cleanup());
  return repo.dir;
}

/** Files and folders of the project outside .git. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => !p.startsWith(".git")).sort();
}

function expectRefused(r: KappaResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  expect(lines.filter((l) => l.startsWith("error:")), r.stderr).toHaveLength(1);
  expect(lines.filter((l) => /^\s*fix:/.test(l)), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain("API Error");
  expect(lines.find((l) => l.startsWith("error:"))).toMatch(message);
}

describe("bad input through the real CLI", () => {
  it("refuses a headings-only spec in run --simulate before the simulator or any session starts", async () => {
    const dir = project({ "SPEC.md": "# Title\n\n## Section A\n\n## Section B\n" });
    const before = tree(dir);
    const r = await runKappa(["--project", dir, "run", "--spec", join(dir, "SPEC.md"), "--simulate"], cleanEnv({ DATABASE_URL: "postgresql://127.0.0.1:1/unused" }));
    expectRefused(r, /no requirements kappa can plan/);
    expect(r.stderr.split("\n").filter((l) => l.trim() !== "")).toHaveLength(2);
    expect(existsSync(join(dir, ".kappa"))).toBe(false);
    expect(tree(dir)).toEqual(before);
  });

  it("refuses a YAML alias bomb in a plan file, and in the config file, as bad input", async () => {
    const dir = project({ "plan.yaml": `${aliasBomb()}\n${stringify(PLAN)}` });
    expectRefused(await runKappa(["--project", dir, "plan", "--plan", join(dir, "plan.yaml")], cleanEnv()), /more than 100 YAML aliases/);
    writeFiles(dir, { ".kappa/config.yaml": aliasBomb(), "SPEC.md": SPEC });
    const before = tree(dir);
    expectRefused(await runKappa(["--project", dir, "plan", "--spec", join(dir, "SPEC.md")], cleanEnv()), /more than 100 YAML aliases/);
    expect(tree(dir)).toEqual(before);
  });

  it("reports a bad config value that -n or DATABASE_URL overrides", async () => {
    const dir = project({ ".kappa/config.yaml": "maxParallelSessions: lots\n", "SPEC.md": SPEC });
    expectRefused(await runKappa(["--project", dir, "plan", "--spec", join(dir, "SPEC.md"), "-n", "2"], cleanEnv()), /maxParallelSessions/);
    writeFiles(dir, { ".kappa/config.yaml": "databaseUrl: mysql://127.0.0.1/db\n" });
    expectRefused(await runKappa(["--project", dir, "plan", "--spec", join(dir, "SPEC.md")], cleanEnv({ DATABASE_URL: "postgresql://127.0.0.1/x" })), /databaseUrl/);
  });

  it("refuses at load, with kappa plan --plan, a task id main, an unknown requirement id and a copyFiles entry outside the project", async () => {
    const reserved = structuredClone(PLAN);
    reserved.tasks[0]!.id = "main";
    for (const t of reserved.tasks) t.dependsOn = t.dependsOn.map((d) => (d === PLAN.tasks[0]!.id ? "main" : d));
    const unknown = structuredClone(PLAN);
    unknown.tasks[0]!.requirements = ["R404"];
    const dir = project({ "reserved.yaml": stringify(reserved), "unknown.yaml": stringify(unknown), "good.yaml": stringify(PLAN) });
    const before = tree(dir);
    expectRefused(await runKappa(["--project", dir, "plan", "--plan", join(dir, "reserved.yaml")], cleanEnv()), /task id "main" is reserved/);
    expectRefused(await runKappa(["--project", dir, "plan", "--plan", join(dir, "unknown.yaml")], cleanEnv()), /unknown requirement "R404"/);
    expect(tree(dir)).toEqual(before);
    writeFiles(dir, { ".kappa/config.yaml": "copyFiles: [../outside.env]\n" });
    expectRefused(await runKappa(["--project", dir, "plan", "--plan", join(dir, "good.yaml")], cleanEnv()), /copyFiles\.0.*inside the project/);
  });
});

import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parsePlanYaml } from "../../../src/decomposition/index.js";
import { tempDir } from "../../helpers/git.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const MAIN = join(ROOT, "src/cli/main.ts");
const EXAMPLE = join(ROOT, "examples/cli-tool/SPEC.md");
const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Result { code: number; stdout: string; stderr: string }

/** Runs `kappa …` in `cwd` with no API key, and a database URL nothing listens on (plan must not open it). */
async function kappa(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KAPPA_") && k !== "ANTHROPIC_API_KEY"));
  try {
    const { stdout, stderr } = await run(join(ROOT, "node_modules/.bin/tsx"), [MAIN, ...args], { cwd, env: { ...clean, NO_COLOR: "1", DATABASE_URL: "postgresql://kappa@127.0.0.1:9/none", ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function workdir(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("kappa plan", () => {
  it("prints the task table and the forecast for a spec, and writes nothing", async () => {
    const dir = workdir("table");
    const r = await kappa(dir, ["plan", "--spec", EXAMPLE, "-n", "4"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wave\s+id\s+title\s+category\s+cx\s+prio\s+depends on/);
    expect(r.stdout).toContain("cli-reports");
    expect(r.stdout).toMatch(/forecast \(\d+ tasks, 4 sessions\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("prints exactly one JSON object with tasks, waves, critical path, requirements and forecast", async () => {
    const r = await kappa(workdir("json"), ["--json", "plan", "--spec", EXAMPLE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as { tasks: { id: string }[]; waves: string[][]; forecast: { makespanMinutes: { dag: number; waves: number } } };
    expect(Object.keys(out)).toEqual(["tasks", "waves", "criticalPath", "requirements", "forecast"]);
    expect(Object.keys(out.tasks[0]!)).toEqual(["id", "title", "category", "complexity", "priority", "dependsOn", "files", "acceptance", "requirements"]);
    expect(out.waves.flat().sort()).toEqual(out.tasks.map((t) => t.id).sort());
    expect(out.forecast.makespanMinutes.dag).toBeLessThanOrEqual(out.forecast.makespanMinutes.waves);
  });

  it("writes an editable plan with --out that loads back, and refuses to overwrite it without --force", async () => {
    const dir = workdir("out");
    const r = await kappa(dir, ["plan", "--spec", EXAMPLE, "--out", "plan.yaml"]);
    expect(r.code).toBe(0);
    const written = readFileSync(join(dir, "plan.yaml"), "utf8");
    expect(parsePlanYaml(written, "plan.yaml").tasks.length).toBeGreaterThanOrEqual(8);
    writeFileSync(join(dir, "plan.yaml"), `${written}# my edit\n`);
    const again = await kappa(dir, ["plan", "--spec", EXAMPLE, "--out", "plan.yaml"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("plan.yaml already exists");
    expect(readFileSync(join(dir, "plan.yaml"), "utf8")).toContain("# my edit");
    const forced = await kappa(dir, ["plan", "--spec", EXAMPLE, "--out", "plan.yaml", "--force", "--format", "mermaid"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout.startsWith("flowchart TD")).toBe(true);
    expect(readFileSync(join(dir, "plan.yaml"), "utf8")).not.toContain("# my edit");
  });

  it.each([
    ["a missing spec", () => "missing.md", {}, /spec file missing\.md does not exist/],
    ["an empty spec", () => (writeFileSync(join(tmp.dir, "empty.md"), "\n  \n"), join(tmp.dir, "empty.md")), {}, /is empty/],
    ["a binary spec", () => (writeFileSync(join(tmp.dir, "bin.md"), Buffer.from([1, 0, 2, 0])), join(tmp.dir, "bin.md")), {}, /looks binary/],
    ["a spec over the size limit", () => EXAMPLE, { KAPPA_SPEC_MAX_BYTES: "100" }, /more than the limit of 100/],
    ["a directory", () => tmp.dir, {}, /is a directory/],
    ["a spec with nothing to plan", () => (writeFileSync(join(tmp.dir, "ctx.md"), "# T\n## Overview\nOnly context.\n"), join(tmp.dir, "ctx.md")), {}, /no requirements/],
  ])("exits 2 with one clear message for %s, writing nothing", async (name, spec, env, message) => {
    const dir = workdir(`bad-${name.replace(/\W+/g, "-")}`);
    const r = await kappa(dir, ["plan", "--spec", spec(), "--out", "plan.yaml"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/\n {2}fix: /);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "plan.yaml"))).toBe(false);
  });

  it("exits 2 for a plan file with a cycle, naming the cycle", async () => {
    const dir = workdir("cycle");
    await kappa(dir, ["plan", "--spec", EXAMPLE, "--out", "plan.yaml"]);
    const text = readFileSync(join(dir, "plan.yaml"), "utf8").replace(/(\n {2}- id: setup\n(?:.*\n)*? {4}dependsOn:) \[\]/, "$1\n      - docs");
    writeFileSync(join(dir, "plan.yaml"), text);
    const r = await kappa(dir, ["plan", "--plan", "plan.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cycle: .*setup.*docs|cycle: .*docs.*setup/);
  });

  it("exits 2 when the Claude planner is asked for without a key or the simulated model", async () => {
    const r = await kappa(workdir("claude"), ["plan", "--spec", EXAMPLE, "--planner", "claude"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the Claude planner needs ANTHROPIC_API_KEY or --simulate");
  });

  it("exits 2 for a bad option value", async () => {
    const r = await kappa(workdir("opts"), ["plan", "--spec", EXAMPLE, "-n", "zero"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-parallel must be a whole number");
  });
});

import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { tempDir } from "../../helpers/git.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const MAIN = join(ROOT, "src/cli/main.ts");
const SPEC = join(ROOT, "examples/cli-tool/SPEC.md");
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const task = (id: string, dependsOn: string[]): Record<string, unknown> => ({ id, title: "Set up", prompt: "Set the project up", category: "setup", complexity: 1, priority: "P0", dependsOn, files: [], acceptance: [], requirements: [] });

/** A scenario whose simulated model answers the planner badly: first with an unsafe id, then (if given) again. */
function scenario(name: string, repairAnswer: unknown): string {
  // The first request only: the repair request repeats the first prompt and adds the problems.
  const tasks: unknown[] = [{ match: { prompt: "^Decompose the specification(?![\\s\\S]*Your previous answer could not be used)" }, structuredOutput: { tasks: [task("Bad Id", [])] } }];
  if (repairAnswer !== undefined) tasks.unshift({ match: { prompt: "Your previous answer could not be used" }, structuredOutput: repairAnswer });
  const file = join(tmp.dir, `${name}.yaml`);
  writeFileSync(file, stringify({ version: 1, name, tasks }));
  return file;
}

async function plan(scenarioFile: string): Promise<{ stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KAPPA_") && k !== "ANTHROPIC_API_KEY"));
  return run(join(ROOT, "node_modules/.bin/tsx"), [MAIN, "plan", "--spec", SPEC, "--planner", "claude", "--simulate", scenarioFile], { cwd: tmp.dir, env: { ...env, NO_COLOR: "1" }, timeout: 90_000 });
}

describe("the Claude planner's repair request, answered by the simulated model", () => {
  it("asks once more after an unusable answer and uses the repaired plan", async () => {
    // No scripted repair: the simulated model answers the second request with a sound plan.
    const r = await plan(scenario("repaired", undefined));
    expect(r.stderr).toMatch(/warning: the Claude planner's answer had 1 problem\(s\) \(not a valid plan: tasks\.0\.id: .*\); asking once more/);
    expect(r.stderr).not.toContain("using the heuristic planner instead");
    expect(r.stdout).toContain("planner: claude (simulated model)");
  });

  it("falls back to the heuristic planner with a warning naming what was still wrong", async () => {
    const r = await plan(scenario("still-bad", { tasks: [task("setup", ["ghost"])] }));
    expect(r.stderr).toContain("asking once more");
    expect(r.stderr).toMatch(/even after one repair request: task "setup" depends on an unknown task "ghost"; requirements without a task: R1, R2.*; using the heuristic planner instead/);
    expect(r.stdout).toContain("0 without a task; planner: heuristic");
  });
});

/**
 * R4: fuzzing what a user hands kappa — specs, plan files, config files, command-line arguments and environment
 * variables. Whatever the input: exit 0 or 2, on 2 one `error:` and one `fix:` line and nothing written, never a
 * stack trace. Runs in-process (the CLI's program, not a process per case); `cli-spawn.test.ts` runs a handful
 * of cases as real processes. `KAPPA_FUZZ_RUNS=n` sets the cases per property (`npm run test:fuzz`).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, describe, it } from "vitest";
import type { Environment } from "../../src/core/index.js";
import { heuristicPlan } from "../../src/decomposition/index.js";
import { Scratch, expectWellBehaved, fuzzRuns, fuzzSeed, kappaInProcess } from "./harness.js";
import { aliasBomb, configFile, environment, planFile, specText } from "./inputs.js";

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

/** No key, no configuration from the parent: only what a case sets. */
const BASE_ENV: Environment = { PATH: process.env.PATH, HOME: scratch.dir, NO_COLOR: "1" };
const GOOD_SPEC = "# Tool\n\n## Commands\n\n- `tool add` MUST add an item\n- `tool list` MUST list items\n\n## Storage\n\n- data MUST be saved in a file\n";
const GOOD_PLAN = heuristicPlan(GOOD_SPEC, {});
const RUNS = fuzzRuns(60);
const params = { numRuns: RUNS, seed: fuzzSeed(), endOnFailure: true };

async function check(files: Record<string, string | Buffer>, args: string[], env: Environment = BASE_ENV, mayWrite: string[] = []): Promise<void> {
  scratch.reset(files);
  const before = scratch.snapshot();
  const r = await kappaInProcess(["-C", scratch.dir, ...args], env);
  expectWellBehaved(r, before, scratch.snapshot(), `kappa ${args.join(" ")}`, mayWrite);
}

describe("fuzzed input never crashes kappa, and bad input is refused cleanly", { timeout: 60_000 + RUNS * 200 }, () => {
  it("any spec: a plan or one error and fix, exit 0 or 2, nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(specText(), async (spec) => {
        await check({ "SPEC.md": spec }, ["plan", "--spec", scratch.path("SPEC.md")]);
      }),
      params,
    );
  });

  it("any plan file: checked with one error and fix, or shown, before anything is stored", async () => {
    await fc.assert(
      fc.asyncProperty(planFile(GOOD_PLAN), async (text) => {
        await check({ "plan.yaml": text }, ["plan", "--plan", scratch.path("plan.yaml")]);
      }),
      params,
    );
  });

  it("any config file: refused with one error and fix even when a flag overrides the bad value", async () => {
    await fc.assert(
      fc.asyncProperty(configFile(), fc.boolean(), async (text, override) => {
        await check({ ".kappa/config.yaml": text, "SPEC.md": GOOD_SPEC }, ["plan", "--spec", scratch.path("SPEC.md"), "--planner", "heuristic", ...(override ? ["-n", "2"] : [])]);
      }),
      params,
    );
  });

  it("any environment: KAPPA_* variables and DATABASE_URL are checked, nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(environment(), async (vars) => {
        await check({ "SPEC.md": GOOD_SPEC }, ["plan", "--spec", scratch.path("SPEC.md"), "--planner", "heuristic"], { ...BASE_ENV, ...vars });
      }),
      params,
    );
  });

  it("any command line for kappa plan and the global options: exit 0 or 2 with one error and fix", async () => {
    const out = "out.yaml";
    const unit = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<string[]>(["plan"], ["--spec", "SPEC.md"], ["--spec", "missing.md"], ["--plan", "plan.yaml"], ["--plan", "."], ["--out", "OUT"], ["--force"], ["--json"], ["--help"], ["--version"], ["help"], ["--format"], ["table"], ["mermaid"], ["yaml"], ["dot"], ["--planner"], ["heuristic"], ["claude"], ["auto"], ["-n"], ["--max-parallel"], ["0"], ["3"], ["65"], ["lots"], ["--"], ["-"], ["--frobnicate"], ["-x"], ["--spec"], ["--plan"]) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }).filter((s) => !/^(init|doctor|run|resume|status|cancel|clean|logs|graph|conflicts|resolve|simulate|merge-driver)$/.test(s) && !s.startsWith("--out") && !s.startsWith("--sim") && !s.startsWith("-C") && !s.startsWith("--project")).map((s) => [s]) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(unit, { maxLength: 7 }), async (units) => {
        const args = units.flat().map((a) => (a === "SPEC.md" || a === "plan.yaml" || a === "missing.md" ? scratch.path(a) : a === "OUT" ? scratch.path(out) : a));
        // `--out` is followed by its value in every generated line, so nothing can be written outside the scratch project.
        if (args.at(-1) === "--out") return;
        await check({ "SPEC.md": GOOD_SPEC, "plan.yaml": stringify(GOOD_PLAN) }, args, BASE_ENV, [out]);
      }),
      params,
    );
  });

  it("refuses a YAML alias bomb in a plan or config file with one error and fix", async () => {
    await check({ "plan.yaml": `${aliasBomb()}\n${stringify(GOOD_PLAN)}` }, ["plan", "--plan", scratch.path("plan.yaml")]);
    await check({ ".kappa/config.yaml": aliasBomb(), "SPEC.md": GOOD_SPEC }, ["plan", "--spec", scratch.path("SPEC.md")]);
  });
});

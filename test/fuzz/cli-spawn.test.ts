/**
 * The in-process runs of `inputs.test.ts` stand for the real CLI: a few generated cases, run both ways, give
 * the same exit code and the same error and fix lines, and the real process also prints no stack trace.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, runKappa } from "../integration/cli/run-kappa.js";
import { Scratch, expectWellBehaved, kappaInProcess } from "./harness.js";
import { configFile, specText } from "./inputs.js";

const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const GOOD_SPEC = "# Tool\n\n## Commands\n\n- `tool add` MUST add an item\n";
const verdict = (stderr: string): string[] => stderr.split("\n").filter((l) => /^(error:|\s*fix:)/.test(l));

describe("fuzzed cases as real processes", { timeout: 120_000 }, () => {
  it("exit with the code and the error/fix lines of the in-process run", async () => {
    const seed = 20261201;
    const specs = fc.sample(specText(), { numRuns: 2, seed });
    const configs = fc.sample(configFile(), { numRuns: 1, seed });
    const cases: Array<Record<string, string | Buffer>> = [...specs.map((s) => ({ "SPEC.md": s })), ...configs.map((c) => ({ "SPEC.md": GOOD_SPEC, ".kappa/config.yaml": c }))];
    for (const files of cases) {
      const args = ["-C", scratch.dir, "plan", "--spec", scratch.path("SPEC.md"), "--planner", "heuristic"];
      scratch.reset(files);
      const inProcess = await kappaInProcess(args, { PATH: process.env.PATH, HOME: scratch.dir, NO_COLOR: "1" });
      scratch.reset(files);
      const before = scratch.snapshot();
      const real = await runKappa(args, cleanEnv({ HOME: scratch.dir }));
      expectWellBehaved({ code: real.code ?? -1, stdout: real.stdout, stderr: real.stderr }, before, scratch.snapshot(), `spawned kappa ${args.join(" ")}`);
      expect(real.code).toBe(inProcess.code);
      expect(verdict(real.stderr)).toEqual(verdict(inProcess.stderr));
    }
  });
});

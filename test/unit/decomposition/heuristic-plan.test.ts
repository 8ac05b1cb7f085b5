import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PlanError, planSchema, TASK_ID_PATTERN } from "../../../src/core/index.js";
import { forecast, heuristicPlan, parseSpec, resolvePlan } from "../../../src/decomposition/index.js";

const examples = ["cli-tool", "rest-service", "web-app"] as const;
const read = (name: string) => readFileSync(new URL(`../../../examples/${name}/SPEC.md`, import.meta.url), "utf8");

describe.each(examples)("the heuristic plan of examples/%s", (name) => {
  const text = read(name);
  const plan = heuristicPlan(text, { specPath: `examples/${name}/SPEC.md` });
  const resolved = resolvePlan(plan);

  it("is a valid plan of 8 to 25 tasks with safe ids", () => {
    expect(planSchema.safeParse(plan).success).toBe(true);
    expect(plan.tasks.length).toBeGreaterThanOrEqual(8);
    expect(plan.tasks.length).toBeLessThanOrEqual(25);
    for (const t of plan.tasks) expect(t.id).toMatch(TASK_ID_PATTERN);
  });

  it("traces every MUST requirement to at least one task", () => {
    const traced = new Set(plan.tasks.flatMap((t) => t.requirements));
    const must = plan.requirements.filter((r) => r.priority === "P0");
    expect(must.length).toBeGreaterThan(3);
    for (const r of must) expect(traced, `${r.id} ${r.text}`).toContain(r.id);
  });

  it("has real parallelism: several tasks can run at once and 5 sessions beat 1 by 1.8x or more", () => {
    expect(resolved.parallelism.maxWidth).toBeGreaterThanOrEqual(3);
    expect(forecast(resolved, { sessions: 5 }).speedup.dag).toBeGreaterThanOrEqual(1.8);
  });

  it("starts with the scaffold and ends with tests that come after every feature", () => {
    expect(resolved.waves[0]).toEqual(["setup"]);
    const tests = plan.tasks.filter((t) => t.category === "test");
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) expect(resolved.level[t.id]).toBe(resolved.waves.length - 1);
  });

  it("has no giant task: nothing above complexity 4 and every prompt names its requirements and files", () => {
    for (const t of plan.tasks) {
      expect(t.complexity, t.id).toBeLessThanOrEqual(4);
      expect(t.files.length, t.id).toBeGreaterThan(0);
      for (const r of t.requirements) expect(t.prompt).toContain(`[${r},`);
    }
  });

  it("puts each data model before the code that uses it", () => {
    const spec = parseSpec(text);
    const modelTask = new Map<string, string>();
    for (const t of plan.tasks.filter((x) => x.category === "data-model")) for (const rid of t.requirements) {
      const def = spec.requirements.find((r) => r.id === rid)?.defines;
      if (def) modelTask.set(def, t.id);
    }
    expect(modelTask.size).toBeGreaterThan(1);
    for (const t of plan.tasks.filter((x) => x.category === "api" || x.category === "cli")) {
      const mentioned = spec.requirements.filter((r) => t.requirements.includes(r.id)).flatMap((r) => r.entities.filter((e) => e.kind === "model").map((e) => e.name));
      for (const m of mentioned) {
        const owner = modelTask.get(m)!;
        expect(resolved.level[owner]!, `${t.id} uses ${m}`).toBeLessThan(resolved.level[t.id]!);
      }
    }
  });

  it("is deterministic", () => {
    expect(heuristicPlan(text, { specPath: `examples/${name}/SPEC.md` })).toEqual(plan);
  });
});

describe("the heuristic planner", () => {
  it("gives the offline demo's cli-tool example 8 to 12 tasks", () => {
    expect(heuristicPlan(read("cli-tool"), {}).tasks.length).toBeGreaterThanOrEqual(8);
    expect(heuristicPlan(read("cli-tool"), {}).tasks.length).toBeLessThanOrEqual(12);
  });

  it("orders commands after the logic they say they use", () => {
    const plan = heuristicPlan(read("cli-tool"), {});
    const reports = plan.tasks.find((t) => t.id === "cli-reports")!;
    expect(reports.dependsOn).toContain("reporting");
  });

  it("splits a long flat list into several tasks along its commands", () => {
    const items = Array.from({ length: 14 }, (_, i) => `- \`tool cmd${i} <arg>\` MUST do thing number ${i}, validating its argument and printing a helpful summary of what changed`).join("\n");
    const plan = heuristicPlan(`# tool\n\n## Commands\n${items}\n`, {});
    const cli = plan.tasks.filter((t) => t.category === "cli");
    expect(cli.length).toBeGreaterThanOrEqual(3);
    expect(new Set(cli.flatMap((t) => t.requirements)).size).toBe(14);
  });

  it("groups tiny neighbouring sections instead of spending a session on each", () => {
    const plan = heuristicPlan("# x\n## Features\n### A\n- a MUST work\n### B\n- b MUST work\n### C\n- c MUST work\n", {});
    expect(plan.tasks.filter((t) => t.category === "logic").length).toBeLessThan(3);
  });

  it("refuses a spec with nothing to plan", () => {
    expect(() => heuristicPlan("# Title\n\n## Overview\nJust some context.\n", {})).toThrow(PlanError);
  });

  it("plans a plain-text spec without headings", () => {
    const plan = heuristicPlan("The tool must convert CSV files to JSON.\nIt should accept a --delimiter option.\nIt must report malformed rows with their line number.\n", {});
    expect(plan.tasks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(plan.tasks.flatMap((t) => t.requirements)).size).toBe(3);
  });
});

it("a section called Main never becomes the reserved task id main", () => {
  const plan = heuristicPlan("# Tool\n## Main\n- the main screen MUST show items\n## Other\n- x MUST be y\n", {});
  expect(plan.tasks.map((t) => t.id)).not.toContain("main");
  expect(plan.tasks.map((t) => t.id)).toContain("main-2");
});

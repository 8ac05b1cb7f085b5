import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AbortError, UsageError } from "../../../src/core/index.js";
import { claudePlan, heuristicPlan, PlannerError, planSpec, type RunStructured } from "../../../src/decomposition/index.js";

const specText = readFileSync(new URL("../../../examples/cli-tool/SPEC.md", import.meta.url), "utf8");
const good = heuristicPlan(specText, {});
const answer = { tasks: good.tasks.map(({ estimateMinutes: _e, ...t }) => t) };
const signal = new AbortController().signal;

describe("the Claude planner", () => {
  it("sends the spec, its requirement ids and a JSON schema, and accepts a valid answer", async () => {
    let seen: { prompt: string; schema: object } | undefined;
    const run: RunStructured = (prompt, schema) => {
      seen = { prompt, schema };
      return Promise.resolve(answer);
    };
    const plan = await claudePlan(specText, { runStructured: run, signal });
    expect(seen?.prompt).toContain("`tally stop` MUST stop the running timer");
    expect(seen?.prompt).toMatch(/- R1 \[P1\]/);
    expect(seen?.schema).toMatchObject({ type: "object", required: ["tasks"] });
    expect(plan.source?.planner).toBe("claude");
    expect(plan.tasks.map((t) => t.id)).toEqual(good.tasks.map((t) => t.id));
    expect(plan.tasks.every((t) => t.estimateMinutes > 0)).toBe(true);
  });

  it.each([
    ["not an object", "nonsense"],
    ["an unsafe id", { tasks: [{ ...answer.tasks[0], id: "../evil" }] }],
    ["a cycle", { tasks: answer.tasks.map((t) => (t.id === "setup" ? { ...t, dependsOn: ["docs"] } : t)) }],
    ["an unknown dependency", { tasks: answer.tasks.map((t) => (t.id === "docs" ? { ...t, dependsOn: ["nope"] } : t)) }],
    ["a MUST requirement without a task", { tasks: answer.tasks.filter((t) => t.id !== "storage") }],
    ["a SHOULD requirement without a task", { tasks: answer.tasks.filter((t) => t.id !== "docs") }],
  ])("refuses an answer with %s, also when asked once more", async (_name, bad) => {
    await expect(claudePlan(specText, { runStructured: () => Promise.resolve(bad), signal })).rejects.toBeInstanceOf(PlannerError);
  });

  it("asks once more listing every problem of an unusable answer, and uses the repaired answer", async () => {
    const bad = { tasks: answer.tasks.map((t) => (t.id === "setup" ? { ...t, dependsOn: ["docs"] } : t.id === "docs" ? { ...t, requirements: ["R999"] } : t)) };
    const prompts: string[] = [];
    const warnings: string[] = [];
    const run: RunStructured = (prompt) => {
      prompts.push(prompt);
      return Promise.resolve(prompts.length === 1 ? bad : answer);
    };
    const plan = await claudePlan(specText, { runStructured: run, signal, onWarning: (m) => warnings.push(m) });
    expect(plan.tasks.map((t) => t.id)).toEqual(good.tasks.map((t) => t.id));
    expect(prompts).toHaveLength(2);
    const repair = prompts[1] ?? "";
    expect(repair).toContain("Your previous answer could not be used");
    expect(repair).toMatch(/- the task dependencies form a cycle: .*setup/);
    expect(repair).toContain("- tasks are traced to unknown requirements: R999");
    expect(repair).toMatch(/- requirements without a task: R\d+/);
    expect(warnings.join("\n")).toMatch(/had 3 problem\(s\).*asking once more/);
  });

  it("asks only once when the first answer is usable", async () => {
    let calls = 0;
    await claudePlan(specText, { runStructured: () => { calls++; return Promise.resolve(answer); }, signal });
    expect(calls).toBe(1);
  });

  it("names the problems of the second answer when it is unusable too", async () => {
    const ghost = { tasks: answer.tasks.map((t) => (t.id === "docs" ? { ...t, dependsOn: ["ghost"] } : t)) };
    await expect(claudePlan(specText, { runStructured: () => Promise.resolve(ghost), signal })).rejects.toThrow(/even after one repair request: task "docs" depends on an unknown task "ghost"/);
  });

  it("turns an aborted request into an AbortError", async () => {
    const controller = new AbortController();
    const run: RunStructured = () => {
      controller.abort();
      return Promise.reject(new Error("aborted"));
    };
    await expect(claudePlan(specText, { runStructured: run, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});

describe("choosing a planner", () => {
  const warnings: string[] = [];
  const base = { specText, signal, onWarning: (m: string) => warnings.push(m) };

  it("uses Claude for auto when it is available", async () => {
    const r = await planSpec({ ...base, planner: "auto", claudeAvailable: true, runStructured: () => Promise.resolve(answer) });
    expect(r.planner).toBe("claude");
  });

  it("uses the heuristic planner for auto without a key, silently", async () => {
    warnings.length = 0;
    const r = await planSpec({ ...base, planner: "auto", claudeAvailable: false });
    expect(r.planner).toBe("heuristic");
    expect(warnings).toEqual([]);
  });

  it("falls back to the heuristic planner with a visible warning when Claude's answer is unusable", async () => {
    warnings.length = 0;
    const r = await planSpec({ ...base, planner: "claude", claudeAvailable: true, runStructured: () => Promise.resolve({ tasks: [] }) });
    expect(r.planner).toBe("heuristic");
    expect(r.plan.tasks.length).toBe(good.tasks.length);
    expect(warnings.join("\n")).toMatch(/not a valid plan.*using the heuristic planner instead/);
  });

  it("falls back with a warning naming the problems Claude left after being asked once more", async () => {
    warnings.length = 0;
    const cyclic = { tasks: answer.tasks.map((t) => (t.id === "setup" ? { ...t, dependsOn: ["docs"] } : t)) };
    const r = await planSpec({ ...base, planner: "claude", claudeAvailable: true, runStructured: () => Promise.resolve(cyclic) });
    expect(r.planner).toBe("heuristic");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/asking once more/);
    expect(warnings[1]).toMatch(/even after one repair request: the task dependencies form a cycle: .*; using the heuristic planner instead/);
  });

  it("refuses --planner claude without a key or the simulated model", async () => {
    await expect(planSpec({ ...base, planner: "claude", claudeAvailable: false })).rejects.toBeInstanceOf(UsageError);
  });
});

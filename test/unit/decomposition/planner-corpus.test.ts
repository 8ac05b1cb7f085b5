import { describe, expect, it } from "vitest";
import { heuristicPlanDetailed } from "../../../src/decomposition/index.js";
import { scoreCorpus } from "../../../bench/planner.js";
import { scorePlan } from "../../../bench/planner-metrics.js";

describe("the planner on the corpus of specs it was not written against", () => {
  const scores = scoreCorpus();
  const sum = (k: "edgesFound" | "edgesExpected" | "edgesRight" | "edgesPlanned" | "prioritiesRight" | "prioritiesExpected" | "requirementsCovered" | "requirementsExpected" | "sectionsPlanned" | "sectionsExpected" | "reportedUncovered" | "syntaxInNames"): number => scores.reduce((s, x) => s + x.score[k], 0);

  it("has at least 15 specs, each with expectations that name something in its spec", () => {
    expect(scores.length).toBeGreaterThanOrEqual(15);
    for (const { name, score } of scores) expect(score.problems.filter((p) => p.startsWith("expectation")), name).toEqual([]);
  });

  it("meets the issue's goals: dependency recall and precision of 0.9, priorities 0.95, nothing without a task", () => {
    expect(sum("edgesFound") / sum("edgesExpected")).toBeGreaterThanOrEqual(0.9);
    expect(sum("edgesRight") / sum("edgesPlanned")).toBeGreaterThanOrEqual(0.9);
    expect(sum("prioritiesRight") / sum("prioritiesExpected")).toBeGreaterThanOrEqual(0.95);
    expect(sum("requirementsCovered")).toBe(sum("requirementsExpected"));
    expect(sum("sectionsPlanned")).toBe(sum("sectionsExpected"));
    expect(sum("reportedUncovered")).toBe(0);
    expect(sum("syntaxInNames")).toBe(0);
  });
});

describe("the corpus score", () => {
  const spec = "# S\n\n## Accounts\n\n- Users MUST sign up.\n\n## Reports\n\n- Reports MUST list sign-ups per day.\n";
  const { plan, spec: parsed } = heuristicPlanDetailed(spec);

  it("counts an expected edge the plan lacks as missing, and a planned edge nobody expected as wrong", () => {
    const reportTask = plan.tasks.find((t) => t.title === "Reports");
    const accounts = plan.tasks.find((t) => t.title === "Accounts");
    const edged = { ...plan, tasks: plan.tasks.map((t) => (t === reportTask ? { ...t, dependsOn: [...t.dependsOn, accounts?.id ?? ""] } : t)) };
    const withEdge = scorePlan(edged, parsed, { requirements: {}, edges: [["Reports", "Accounts"]], sections: [] });
    expect(withEdge.edgesFound).toBe(1);
    const unexpected = scorePlan(edged, parsed, { requirements: {}, edges: [], sections: [] });
    expect(unexpected.edgesRight).toBe(unexpected.edgesPlanned - 1);
    const without = scorePlan(plan, parsed, { requirements: {}, edges: [["Reports", "Accounts"]], sections: [] });
    expect(without.edgesFound).toBe(0);
    expect(without.problems).toContain("missing edge: Reports -> Accounts");
  });

  it("counts a wrong priority, a requirement in no prompt and a section in no title", () => {
    const s = scorePlan(plan, parsed, { requirements: { "sign up": "P2", "not in the spec": "P0" }, edges: [], sections: ["Billing"] });
    expect(s.prioritiesRight).toBe(0);
    expect(s.requirementsCovered).toBe(1);
    expect(s.sectionsPlanned).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, PlanCycleError, PlanError } from "../../../src/core/index.js";
import { heuristicPlan, loadPlanFile, parsePlanYaml, planToYaml, readSpecFile, renderMermaid } from "../../../src/decomposition/index.js";

const dir = mkdtempSync(join(tmpdir(), "kappa-plan-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const plan = heuristicPlan("# Tool\n## Commands\n- `tool add` MUST add\n- `tool rm` MUST remove\n## Storage\n- data MUST be saved in a file\n", {});
const yaml = planToYaml(plan);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("the plan file", () => {
  it("round-trips: a written plan loads back unchanged, with an explanatory header", () => {
    expect(yaml.startsWith("# kappa plan.")).toBe(true);
    expect(parsePlanYaml(yaml, "plan.yaml")).toEqual(plan);
  });

  it("reports a cycle introduced by a hand edit, naming the tasks and the line", () => {
    const edited = yaml.replace(/(\n {2}- id: setup\n(?:.*\n)*? {4}dependsOn:) \[\]/, "$1\n      - storage");
    expect(edited).not.toBe(yaml);
    const e = errorOf(() => parsePlanYaml(edited, "plan.yaml"));
    expect(e).toBeInstanceOf(PlanCycleError);
    expect(e.message).toContain("setup");
    expect((e as PlanCycleError).hint).toMatch(/plan\.yaml:\d+/);
  });

  it("reports an unknown dependency with the line it is on", () => {
    const edited = yaml.replace("      - setup\n", "      - setpu\n");
    const line = edited.split("\n").findIndex((l) => l.includes("setpu")) + 1;
    const e = errorOf(() => parsePlanYaml(edited, "plan.yaml"));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(`plan.yaml:${line}: task "${plan.tasks[1]!.id}" depends on an unknown task "setpu"`);
  });

  it("reports an unsafe id and a wrong field type with their lines", () => {
    const unsafe = yaml.replace("  - id: setup\n", "  - id: ../setup\n");
    expect(errorOf(() => parsePlanYaml(unsafe, "p.yaml")).message).toMatch(/^p\.yaml:\d+: invalid plan at tasks\.0\.id: task id must be/);
    const badType = yaml.replace(/complexity: \d/, "complexity: high");
    const line = badType.split("\n").findIndex((l) => l.includes("complexity: high")) + 1;
    expect(errorOf(() => parsePlanYaml(badType, "p.yaml")).message).toContain(`p.yaml:${line}: invalid plan at tasks.0.complexity`);
  });

  it("refuses a task naming a requirement id the plan does not list, with its line", () => {
    const edited = yaml.replace(/(\n {4}requirements:\n {6}- )R\d+/, "$1R99");
    expect(edited).not.toBe(yaml);
    const line = edited.split("\n").findIndex((l) => l.includes("- R99")) + 1;
    const e = errorOf(() => parsePlanYaml(edited, "plan.yaml"));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toMatch(new RegExp(`^plan\\.yaml:${line}: task "[a-z0-9-]+" names an unknown requirement "R99"$`));
    expect((e as PlanError).hint).toContain("R1");
  });

  it("refuses a task with the reserved id main, which is the run's integration branch", () => {
    const edited = yaml.replace("  - id: setup\n", "  - id: main\n").replaceAll("      - setup\n", "      - main\n");
    const line = edited.split("\n").findIndex((l) => l === "  - id: main") + 1;
    const e = errorOf(() => parsePlanYaml(edited, "plan.yaml"));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe(`plan.yaml:${line}: task id "main" is reserved: kappa/<run>/main is the run's integration branch`);
  });

  it("refuses a YAML alias bomb as bad input instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const e = errorOf(() => parsePlanYaml(`${levels.join("\n")}\n${yaml}`, "plan.yaml"));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toBe("plan.yaml: the plan uses more than 100 YAML aliases (*name), which kappa refuses");
  });

  it("reports YAML syntax errors with a line number", () => {
    expect(errorOf(() => parsePlanYaml("version: 1\ntasks: [\n  - id: x\n", "p.yaml")).message).toMatch(/^p\.yaml:\d+: the plan is not valid YAML/);
  });

  it("refuses a missing or empty plan file as bad input", () => {
    expect(errorOf(() => loadPlanFile(join(dir, "nope.yaml")))).toBeInstanceOf(InputError);
    writeFileSync(join(dir, "empty.yaml"), "  \n");
    expect(errorOf(() => loadPlanFile(join(dir, "empty.yaml"))).message).toContain("is empty");
  });

  it("renders a Mermaid graph with one edge per dependency", () => {
    const mermaid = renderMermaid(plan);
    expect(mermaid.startsWith("flowchart TD")).toBe(true);
    expect(mermaid.split("\n").filter((l) => l.includes("-->")).length).toBe(plan.tasks.reduce((s, t) => s + t.dependsOn.length, 0));
  });
});

describe("reading a spec file", () => {
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  it.each([
    ["a missing file", () => join(dir, "missing.md"), /does not exist/],
    ["a directory", () => dir, /is a directory/],
    ["an empty file", () => write("empty.md", ""), /is empty/],
    ["whitespace only", () => write("ws.md", " \n\t\n"), /is empty/],
    ["a binary file", () => write("bin.md", Buffer.from([0x23, 0x00, 0x01, 0x02])), /looks binary/],
    ["invalid UTF-8", () => write("latin.md", Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9])), /not valid UTF-8/],
    ["a file over the limit", () => write("big.md", "# x\n".repeat(100)), /more than the limit of 100/],
  ])("refuses %s with exit code 2 and a message saying what to fix", (_name, path, message) => {
    const e = errorOf(() => readSpecFile(path(), 100));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    expect(e.message).toMatch(message);
    expect((e as InputError).hint).toBeTruthy();
  });

  it("reads UTF-8 text and drops a byte-order mark", () => {
    expect(readSpecFile(write("bom.md", "\uFEFF# Café\n"), 100)).toBe("# Café\n");
  });
});

import { expect, test } from "vitest";
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenarioText } from "../../../src/simulator/index.js";

test("the shipped default scenario is valid and gives every task the generic behaviour", () => {
  expect(loadScenario("default").tasks).toEqual([]);
  expect(loadScenario(DEFAULT_SCENARIO_PATH).name).toBe("default");
});

test("a bad key is reported with the file, its line and its path", () => {
  const text = "version: 1\ntasks:\n  - match: { taskId: a }\n    turns:\n      - tools:\n          - tool: Write\n            inputs: {}\n";
  expect(() => parseScenarioText(text, "s.yaml")).toThrow(/^s\.yaml:7: tasks\[0\]\.turns\[0\]\.tools\[0\]\.inputs: Unrecognized key/);
});

test("an unknown fault type names the allowed ones", () => {
  expect(() => parseScenarioText("tasks:\n  - fault: { type: boom }\n", "f.yaml")).toThrow(/f\.yaml:2: tasks\[0\]\.fault\.type: .*rate_limit/);
});

test("broken YAML and an invalid prompt regex are rejected with a line", () => {
  expect(() => parseScenarioText("tasks: [\n", "y.yaml")).toThrow(/^y\.yaml:\d+: not valid YAML/);
  expect(() => parseScenarioText("tasks:\n  - match: { prompt: '(' }\n", "r.yaml")).toThrow(/r\.yaml:2: .*regular expression/);
});

test("a missing scenario file says which file and what to pass instead", () => {
  expect(() => loadScenario("/nonexistent/s.yaml")).toThrow(/cannot read the scenario file \/nonexistent\/s\.yaml/);
});

test("a scenario that is a YAML alias bomb is refused as bad input, not expanded", () => {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  expect(() => parseScenarioText(lines.join("\n"), "bomb.yaml")).toThrow("bomb.yaml: uses more than 100 YAML aliases");
});

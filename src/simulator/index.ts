/** The simulated Anthropic Messages API (used by tests, benches, the demo and `kappa simulate`). */
export { startSimulator, SIMULATED_MODEL_LABEL } from "./server.js";
export type { SimulatorHandle, SimulatorOptions } from "./server.js";
export type { SimulatorStats, SimulatorCounter } from "./stats.js";
export type { StructuredOutputFn } from "./behaviour.js";
export {
  loadScenario,
  parseScenarioText,
  parseScenarioObject,
  DEFAULT_SCENARIO_PATH,
  FAULT_TYPES,
} from "./scenario.js";
export type { Scenario, ScenarioInput, Fault, FaultType, Turn, TaskEntry, ToolCall } from "./scenario.js";

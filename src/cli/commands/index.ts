import type { Command } from "commander";
import type { CommandHelpers } from "../program.js";
import { registerInit } from "./init.js";
import { registerDoctor } from "./doctor.js";
import { registerPlan } from "./plan.js";
import { registerSimulate } from "./simulate.js";
import { registerLogs } from "./logs.js";
import { registerConflicts } from "./conflicts.js";
import { registerMergeDriver } from "./merge-driver.js";
import { registerClean } from "./clean.js";
import { registerRun } from "./run.js";
import { registerStatus } from "./status.js";
import { registerCancel } from "./cancel.js";
import { registerGraph } from "./graph.js";

/** Every command, in the order `kappa --help` lists them. */
export function registerCommands(program: Command, helpers: CommandHelpers): void {
  registerInit(program, helpers);
  registerDoctor(program, helpers);
  registerPlan(program, helpers);
  registerRun(program, helpers);
  registerStatus(program, helpers);
  registerCancel(program, helpers);
  registerGraph(program, helpers);
  registerLogs(program, helpers);
  registerConflicts(program, helpers);
  registerClean(program, helpers);
  registerSimulate(program, helpers);
  registerMergeDriver(program, helpers);
}

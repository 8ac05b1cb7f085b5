import type { Command } from "commander";
import type { CommandHelpers } from "../program.js";
import { registerInit } from "./init.js";
import { registerDoctor } from "./doctor.js";

/** Every command, in the order `kappa --help` lists them. */
export function registerCommands(program: Command, helpers: CommandHelpers): void {
  registerInit(program, helpers);
  registerDoctor(program, helpers);
}

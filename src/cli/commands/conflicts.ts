import type { Command } from "commander";
import type { CommandHelpers } from "../program.js";

/** Placeholder: replaced by the owner of this command. */
export function registerConflicts(_program: Command, _helpers: CommandHelpers): void {}

/**
 * `kappa conflicts` and `kappa resolve` exactly as the CLI registers them, with program.ts's action wrapper,
 * but without loading every other command (so these tests do not depend on unrelated folders).
 */
import { Command, CommanderError } from "commander";
import { isKappaError } from "../../../src/core/index.js";
import { createContext, type CliContext, type GlobalOptions } from "../../../src/cli/context.js";
import { formatError, printErr } from "../../../src/cli/output.js";
import type { CommandHelpers } from "../../../src/cli/program.js";
import { registerConflicts } from "../../../src/cli/commands/conflicts.js";
import { registerMergeDriver } from "../../../src/cli/commands/merge-driver.js";

export async function runConflictCommands(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command().exitOverride().option("-C, --project <dir>").option("--json");
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const helpers: CommandHelpers = {
    global: () => program.opts<GlobalOptions>(),
    action(fn, flags) {
      return async (...args) => {
        let ctx: CliContext | undefined;
        try {
          ctx = createContext(program.opts<GlobalOptions>(), flags ? flags(...args) : {});
          const result = await fn(ctx, ...args);
          exitCode = typeof result === "number" ? result : 0;
        } catch (error) {
          exitCode = isKappaError(error) ? error.exitCode : 1;
          printErr(formatError(error, undefined));
        } finally {
          await ctx?.close();
        }
      };
    },
  };
  registerConflicts(program, helpers);
  registerMergeDriver(program, helpers);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return 2;
    throw error;
  }
}

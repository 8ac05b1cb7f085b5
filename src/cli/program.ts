import { existsSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { isKappaError, type Environment } from "../core/index.js";
import { createContext, type CliContext, type GlobalOptions } from "./context.js";
import { formatError, printErr, printJson } from "./output.js";
import { kappaVersion } from "./version.js";
import { registerCommands } from "./commands/index.js";

export interface KappaProgram {
  command: Command;
  runToExitCode(argv: string[]): Promise<number>;
}

/** Result of a command action: an exit code (0 ok, 1 run failed, 2 bad input). */
export type ActionResult = number | void;

export interface CommandHelpers {
  /** Wraps an action: builds the context, runs, maps errors to exit codes, closes resources. */
  action: <A extends unknown[]>(
    fn: (ctx: CliContext, ...args: A) => Promise<ActionResult>,
    flags?: (...args: A) => Record<string, unknown>,
  ) => (...args: A) => Promise<void>;
  global: () => GlobalOptions;
}

export interface ProgramOptions {
  /** The environment commands see. @default a snapshot of the process environment, taken per command */
  env?: Environment | undefined;
}

export function buildProgram(options: ProgramOptions = {}): KappaProgram {
  let exitCode = 0;
  const program = new Command();
  program
    .name("kappa")
    .description("Build software with many Claude Code sessions at once.\nA spec becomes a task DAG; tasks run in parallel git worktrees and merge into an integration branch.")
    .version(kappaVersion(), "-V, --version")
    .addOption(new Option("-C, --project <dir>", "project directory (a git repository)").default(undefined, "current directory"))
    .option("--json", "machine-readable output on stdout (NDJSON for streams)")
    .showHelpAfterError("  fix: run `kappa --help` for usage")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      "after",
      `
Examples:
  kappa init                                 set up .kappa/ in this git repository
  kappa doctor                               check Node, git, database, Claude Code and API key
  kappa plan --spec SPEC.md                  show the task plan and forecast for a spec
  kappa plan --spec SPEC.md --out plan.yaml  write an editable plan
  kappa run --spec SPEC.md --simulate        run everything offline against the simulated model
  kappa run --plan plan.yaml -n 8            run a plan with 8 sessions at once
  kappa status                               progress of the latest run
  kappa resume <run>                         continue a run after a crash or Ctrl-C

Exit codes: 0 ok, 1 run failed, 2 bad input or usage.
Configuration: .kappa/config.yaml, KAPPA_* environment variables, then flags (see README).`,
    );

  const helpers: CommandHelpers = {
    global: () => program.opts<GlobalOptions>(),
    action(fn, flags) {
      return async (...args) => {
        let ctx: CliContext | undefined;
        try {
          ctx = createContext(program.opts<GlobalOptions>(), flags ? flags(...args) : {}, options.env);
          const result = await fn(ctx, ...args);
          exitCode = typeof result === "number" ? result : 0;
        } catch (error) {
          exitCode = isKappaError(error) ? error.exitCode : 1;
          if (ctx?.json) printJson({ type: "error", code: isKappaError(error) ? error.code : "INTERNAL", message: ctx.scrubber.text((error as Error).message), hint: isKappaError(error) ? error.hint : undefined });
          // The stack goes to the log file (debug and above), not to the terminal: there the user reads one
          // error and one fix line (with KAPPA_DEBUG=1 the stack is printed too).
          if (ctx && !isKappaError(error)) ctx.logger.debug({ err: error }, "unexpected error");
          printErr(formatError(error, ctx?.scrubber, ctx?.config.debug ?? false, ctx?.logFile !== undefined && existsSync(ctx.logFile) ? ctx.logFile : undefined));
        } finally {
          await ctx?.close();
          ctx?.logger.flush();
        }
      };
    },
  };
  registerCommands(program, helpers);
  // A usage error is one `error:` line (commander's) and one `fix:` line naming the help of the command used.
  for (const command of program.commands) command.showHelpAfterError(`  fix: run \`kappa ${command.name()} --help\` for usage`);

  return {
    command: program,
    async runToExitCode(argv) {
      exitCode = 0;
      try {
        await program.parseAsync(argv);
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) {
          if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
          // `kappa help` exits 0; `kappa` without a command shows the help as a usage error.
          if (error.code === "commander.help") {
            if (error.exitCode === 0) return 0;
            printErr("error: no command given\n  fix: run one of the commands listed above, e.g. `kappa plan --spec SPEC.md`");
            return 2;
          }
          return 2;
        }
        printErr(formatError(error, undefined));
        return isKappaError(error) ? error.exitCode : 1;
      }
    },
  };
}

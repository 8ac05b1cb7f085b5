/** Runs kappa's real command-line program in this process (stdout/stderr are captured by the caller). */
import { buildProgram } from "../../../src/cli/program.js";

export async function runConflictCommands(argv: string[]): Promise<number> {
  return buildProgram().runToExitCode(argv);
}

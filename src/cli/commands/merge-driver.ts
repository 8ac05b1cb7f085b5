import type { Command } from "commander";
import type { CommandHelpers } from "../program.js";
import { printErr } from "../output.js";

/**
 * `kappa merge-driver %O %A %B %P`: git's merge-driver protocol. Never opens the database; the conflict module
 * is loaded only when this command runs, so other commands do not pay for it and the driver starts fast.
 * It deliberately skips the shared action wrapper: that loads the project configuration, and git runs the
 * driver in any repository with any environment — a config problem must not turn a merge into a failure.
 * It therefore exits by itself with git's code.
 */
export function registerMergeDriver(program: Command, _helpers: CommandHelpers): void {
  program
    .command("merge-driver")
    .description("git merge driver: merge one file with kappa's merge and structured strategies (see docs/merge-driver.md)")
    .argument("<base>", "the common ancestor's version (%O)")
    .argument("<ours>", "our version; the result is written here (%A)")
    .argument("<theirs>", "their version (%B)")
    .argument("[path]", "the file's path in the repository (%P)")
    .addHelpText(
      "after",
      `
Exit codes follow git's protocol: 0 merged, 1 conflicts remain (markers written into <ours>).

Setup:
  git config merge.kappa.name "kappa structured merge"
  git config merge.kappa.driver "kappa merge-driver %O %A %B %P"
  echo 'package.json merge=kappa' >> .gitattributes`,
    )
    .action(async (base: string, ours: string, theirs: string, path: string | undefined) => {
      let code: number;
      try {
        const { runMergeDriver } = await import("../../conflict/merge-driver.js");
        const result = await runMergeDriver({ base, ours, theirs, path, signal: AbortSignal.timeout(120_000) });
        if (result.code === 1) printErr(`kappa merge-driver: ${path ?? ours} still conflicts (${result.reasons.join("; ")})`);
        code = result.code;
      } catch (error) {
        // Unreadable inputs and the like: git must see a failed merge (and keep its own conflict state).
        printErr(`kappa merge-driver: ${error instanceof Error ? error.message : String(error)}`);
        code = 2;
      }
      process.exit(code);
    });
}

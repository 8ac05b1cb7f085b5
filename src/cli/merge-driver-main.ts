/**
 * `kappa merge-driver %O %A %B %P` without the CLI program: git runs the driver once per file, so it loads only
 * what merging needs (no commander, database, LangGraph or logger). main.ts dispatches here before it loads the
 * program; help and malformed calls go on to the program's own `merge-driver` command (commands/merge-driver.ts).
 */
import { spawnGitDirectly } from "../conflict/git-merge-file.js";
import { runMergeDriver } from "../conflict/merge-driver.js";

/** git's exit code, or undefined when the arguments are for the full program (help, wrong count, options). */
export async function mergeDriverMain(args: readonly string[]): Promise<number | undefined> {
  if (args.length < 3 || args.length > 4 || args.some((a) => a.startsWith("-"))) return undefined;
  const [base, ours, theirs, path] = args as [string, string, string, string | undefined];
  spawnGitDirectly();
  try {
    const result = await runMergeDriver({ base, ours, theirs, path, signal: AbortSignal.timeout(120_000) });
    if (result.code === 1) process.stderr.write(`kappa merge-driver: ${path ?? ours} still conflicts (${result.reasons.join("; ")})\n`);
    return result.code;
  } catch (error) {
    // Unreadable inputs and the like: git must see a failed merge (and keep its own conflict state).
    process.stderr.write(`kappa merge-driver: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

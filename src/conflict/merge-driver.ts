/**
 * git's merge-driver protocol: three temporary files, the result written into the "ours" file, exit 0 when
 * resolved and 1 when conflict markers remain. No database, no configuration: it must start fast, since git
 * runs it once per file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { mergeFileText } from "./merge-file.js";

export interface MergeDriverArgs {
  base: string;
  ours: string;
  theirs: string;
  /** The path in the repository (`%P`), which decides JSON / package.json / list handling. */
  path?: string | undefined;
  signal: AbortSignal;
}

/** Runs the driver; returns git's expected exit code. */
export async function runMergeDriver(args: MergeDriverArgs): Promise<{ code: 0 | 1; strategy: string | undefined; reasons: string[] }> {
  const read = (p: string): string => readFileSync(p, "utf8");
  const result = await mergeFileText(args.path ?? args.ours, read(args.base), read(args.ours), read(args.theirs), args.signal, ["merge", "structured"], { ours: "ours", theirs: "theirs" });
  writeFileSync(args.ours, result.content);
  return { code: result.resolved ? 0 : 1, strategy: result.strategy, reasons: result.tried.map((t) => `${t.strategy}: ${t.reason}`) };
}

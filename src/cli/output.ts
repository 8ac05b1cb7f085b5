/** Human and machine output. Results go to stdout, progress and errors to stderr. */
import { isKappaError, type Scrubber } from "../core/index.js";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(`${text}\n`);
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

export function style(enabled: boolean): Style {
  const wrap = (code: number, reset: number) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[${reset}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), cyan: wrap(36, 39) };
}

/**
 * Formats an error for a human: what happened, then what to do. `logFile` is kappa's log when one was written
 * for this command (an unexpected error's details are there); without one the user is told how to see them.
 */
export function formatError(error: unknown, scrubber: Scrubber | undefined, debug = false, logFile?: string): string {
  const scrub = (s: string): string => (scrubber ? scrubber.text(s) : s);
  if (isKappaError(error)) {
    const lines = [`error: ${scrub(error.message)}`];
    if (error.hint) lines.push(`  fix: ${scrub(error.hint)}`);
    if (debug && error.stack) lines.push(scrub(error.stack));
    if (debug && error.cause instanceof Error) lines.push(`  cause: ${scrub(error.cause.stack ?? error.cause.message)}`);
    return lines.join("\n");
  }
  const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
  const report = logFile !== undefined ? `report it with the log in ${logFile}` : debug ? "report it with the output above" : "rerun with KAPPA_DEBUG=1 for the details and report them";
  return `error: ${scrub(message)}\n  fix: this is a bug in kappa; ${report}`;
}

/** Pads columns of a table. */
export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ""))));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visibleLength(c)))).join("  ").trimEnd())
    .join("\n");
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, "").length;
}

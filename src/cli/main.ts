#!/usr/bin/env node
/**
 * kappa's command line. The only place that prints for humans and sets exit codes:
 * 0 ok, 1 run failed, 2 bad input or usage.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function main(argv: string[]): Promise<number> {
  // The merge driver runs once per file under git: it must not pay for loading the whole program.
  if (argv[2] === "merge-driver") {
    const { mergeDriverMain } = await import("./merge-driver-main.js");
    const code = await mergeDriverMain(argv.slice(3));
    if (code !== undefined) return code;
  }
  const { buildProgram } = await import("./program.js");
  const program = buildProgram();
  return program.runToExitCode(argv);
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `kappa … | head` closes stdout early: stop quietly instead of crashing with EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = await main(process.argv);
  process.exitCode = code;
}

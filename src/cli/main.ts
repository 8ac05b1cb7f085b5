#!/usr/bin/env node
/**
 * kappa's command line. The only place that prints for humans and sets exit codes:
 * 0 ok, 1 run failed, 2 bad input or usage.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildProgram } from "./program.js";

export async function main(argv: string[]): Promise<number> {
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

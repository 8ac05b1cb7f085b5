/**
 * What the fuzz properties need: the CLI's program run in-process (thousands of cases a minute; a handful are
 * also spawned as real processes), a project directory to run it in, and the checks every run must pass.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, vi } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import type { Environment } from "../../src/core/index.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Cases per property: `KAPPA_FUZZ_RUNS` (the long run of `npm run test:fuzz`), else `short`. */
export function fuzzRuns(short: number): number {
  const n = Number(process.env.KAPPA_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : short;
}

/** A fixed seed from `KAPPA_FUZZ_SEED` replays a failure; fast-check prints the seed of every failing run. */
export function fuzzSeed(): number | undefined {
  const n = Number(process.env.KAPPA_FUZZ_SEED);
  return Number.isInteger(n) ? n : undefined;
}

/** Runs `kappa <args>` in this process with `env` as its whole environment, capturing stdout and stderr. */
export async function kappaInProcess(args: string[], env: Environment): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await buildProgram({ env }).runToExitCode(["node", "kappa", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A scratch project directory whose files are replaced for each case. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), "kappa-fuzz-"));

  /** Empties the directory and writes `files` (paths relative to it). */
  reset(files: Record<string, string | Buffer>): void {
    for (const entry of readdirSync(this.dir)) rmSync(join(this.dir, entry), { recursive: true, force: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
  }

  path(rel: string): string {
    return join(this.dir, rel);
  }

  /** Every file and folder under the directory with a hash of its content: equal snapshots = nothing written. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (rel: string): void => {
      for (const name of readdirSync(join(this.dir, rel))) {
        const path = rel === "" ? name : `${rel}/${name}`;
        const full = join(this.dir, path);
        if (statSync(full).isDirectory()) {
          out.set(`${path}/`, "dir");
          walk(path);
        } else out.set(path, createHash("sha256").update(readFileSync(full)).digest("hex"));
      }
    };
    walk("");
    return out;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/**
 * The promise kappa makes for any input: exit 0 or 2; on 2 exactly one `error:` line and one `fix:` line and
 * nothing written; never a stack trace. `before` and `after` are snapshots of the project around the run.
 */
export function expectWellBehaved(r: CliResult, before: Map<string, string>, after: Map<string, string>, context: string, mayWrite: string[] = []): void {
  const where = `${context}\n--- stderr ---\n${r.stderr}\n--- stdout (start) ---\n${r.stdout.slice(0, 500)}`;
  expect([0, 2], where).toContain(r.code);
  expect(STACK_FRAME.test(r.stderr) || STACK_FRAME.test(r.stdout), `a stack trace was printed\n${where}`).toBe(false);
  if (r.code === 2) {
    const lines = r.stderr.split("\n");
    expect(lines.filter((l) => l.startsWith("error:")).length, `one error: line\n${where}`).toBe(1);
    expect(lines.filter((l) => /^\s*fix:/.test(l)).length, `one fix: line\n${where}`).toBe(1);
    expect([...after.entries()], `nothing written on error\n${where}`).toEqual([...before.entries()]);
  } else {
    const changed = [...after.entries()].filter(([path, hash]) => before.get(path) !== hash).map(([path]) => path);
    const removed = [...before.keys()].filter((path) => !after.has(path));
    expect([...changed.filter((p) => !mayWrite.includes(p)), ...removed], `only the requested files written\n${where}`).toEqual([]);
  }
}

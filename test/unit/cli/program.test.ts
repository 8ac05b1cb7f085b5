import { afterEach, describe, expect, it, vi } from "vitest";
import { buildProgram } from "../../../src/cli/program.js";
import { kappaVersion } from "../../../src/cli/version.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs the CLI in-process and captures what it prints. */
async function kappa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await buildProgram().runToExitCode(["node", "kappa", ...args]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe("command line usage", () => {
  it("exits 2 with a message naming an unknown command", async () => {
    const r = await kappa("frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("frobnicate");
    expect(r.stderr).toContain("kappa --help");
  });

  it("exits 2 with a message naming an unknown option", async () => {
    const r = await kappa("--frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--frobnicate");
  });

  it("exits 2 for an unknown option of a command", async () => {
    const r = await kappa("init", "--colour");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--colour");
  });

  it("exits 2 when an option is missing its value", async () => {
    const r = await kappa("init", "--name");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--name");
  });

  it("prints the package version for --version and exits 0", async () => {
    const r = await kappa("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(kappaVersion());
    expect(kappaVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists the commands, the global options, examples and exit codes in --help, and exits 0", async () => {
    const r = await kappa("--help");
    expect(r.code).toBe(0);
    for (const text of ["init", "doctor", "--project <dir>", "--json", "Examples:", "kappa init", "kappa doctor", "Exit codes: 0 ok, 1 run failed, 2 bad input"]) {
      expect(r.stdout).toContain(text);
    }
  });

  it("treats a bare `kappa` as a usage error (help on stderr, exit 2) and `kappa help` as a request (exit 0)", async () => {
    const bare = await kappa();
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: kappa");
    const help = await kappa("help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: kappa");
  });

  it("shows a command's own help with an example", async () => {
    const r = await kappa("init", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--name <name>");
    expect(r.stdout).toContain("Example");
  });
});

/** Real git repositories in temp dirs. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function sh(cwd: string, cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();
}

export function gitIn(cwd: string, ...args: string[]): string {
  return sh(cwd, "git", args);
}

/** A new repository with one commit holding `files`. */
export function tempRepo(files: Record<string, string> = { "README.md": "# test\n" }): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "kappa-test-"));
  gitIn(dir, "init", "-q", "-b", "main");
  writeFiles(dir, files);
  gitIn(dir, "add", "-A");
  gitIn(dir, "commit", "-q", "-m", "initial");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "kappa-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

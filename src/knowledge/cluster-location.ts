/**
 * Where the embedded server's data directory lives. Normally `<pgDir>/data` inside the project. As root the
 * server runs as the `postgres` system user, who often cannot enter the project (a `mktemp -d` directory, a
 * project under /root): then the cluster is kept under {@link SHARED_CLUSTER_ROOT}, in a directory named after
 * the project, and `<pgDir>/data-location` records where, so every later kappa command (and a moved project)
 * finds the same data.
 */
import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { firstBlockedParent, type RunAs } from "./postgres-binaries.js";

/** Parent of the clusters kept outside projects the `postgres` user cannot enter. */
export const SHARED_CLUSTER_ROOT = "/var/lib/kappa/pg";

/** The file, inside the project's `.kappa/pg`, that names a data directory kept elsewhere. */
export function locationFile(pgDir: string): string {
  return join(pgDir, "data-location");
}

/** The data directory in use for `pgDir`: the recorded one, else `<pgDir>/data`. */
export function currentDataDir(pgDir: string): string {
  const file = locationFile(pgDir);
  if (existsSync(file)) {
    const recorded = readFileSync(file, "utf8").trim();
    if (recorded.startsWith("/")) return recorded;
  }
  return join(pgDir, "data");
}

/**
 * The data directory to start the server on, for a server that is not running yet. Moves a cluster that does
 * not exist yet out of a project `runAs` cannot enter (and records where); an existing cluster never moves.
 */
export function placeDataDir(pgDir: string, runAs: RunAs, sharedRoot = SHARED_CLUSTER_ROOT): string {
  const dataDir = currentDataDir(pgDir);
  if (!runAs || existsSync(join(dataDir, "PG_VERSION")) || !firstBlockedParent(runAs, dataDir)) return dataDir;
  const real = realpathSync(pgDir);
  const project = basename(dirname(dirname(real))).replace(/[^A-Za-z0-9._-]/g, "_") || "project";
  const cluster = join(sharedRoot, `${project}-${createHash("sha256").update(real).digest("hex").slice(0, 12)}`);
  mkdirSync(sharedRoot, { recursive: true, mode: 0o755 });
  chmodSync(sharedRoot, 0o755);
  mkdirSync(cluster, { recursive: true, mode: 0o700 });
  chownSync(cluster, runAs.uid, runAs.gid);
  const moved = join(cluster, "data");
  writeFileSync(locationFile(pgDir), `${moved}\n`);
  return moved;
}

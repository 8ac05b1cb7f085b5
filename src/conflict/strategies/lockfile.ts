/**
 * Lockfiles are derived from the manifest. kappa never guesses a lockfile: an npm lockfile (v2/v3) is merged
 * entry by entry (disjoint additions only) and accepted only when it is consistent with the merged
 * package.json — the regeneration npm would do offline. Anything else (yarn, pnpm, a package whose resolution
 * npm would have to fetch) needs the network: refuse.
 */
import { mergeJsonFile } from "./json-file.js";
import type { StructuredContext } from "./structured.js";
import type { FileVersions, StrategyAttempt } from "../types.js";
import type { Json } from "./json-merge.js";

const NPM_LOCKFILES = new Set(["package-lock.json", "npm-shrinkwrap.json"]);
const OTHER_LOCKFILES = new Set(["yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock", "Cargo.lock", "poetry.lock", "Gemfile.lock", "composer.lock"]);

export function isLockfile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return NPM_LOCKFILES.has(name) || OTHER_LOCKFILES.has(name);
}

type Obj = { [key: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export async function mergeLockfile(file: FileVersions, context: StructuredContext): Promise<StrategyAttempt> {
  const name = file.path.slice(file.path.lastIndexOf("/") + 1);
  if (!NPM_LOCKFILES.has(name)) return { ok: false, reason: `${name} can only be regenerated with the network` };
  const dir = file.path.includes("/") ? file.path.slice(0, file.path.lastIndexOf("/") + 1) : "";
  const manifestText = await context.mergedFile?.(`${dir}package.json`);
  if (manifestText === undefined) return { ok: false, reason: "no merged package.json next to the lockfile" };
  const merged = mergeJsonFile(file.base, file.ours ?? "", file.theirs ?? "", false);
  if (!merged.ok || merged.content === null) return { ok: false, reason: `lockfile entries conflict: ${merged.ok ? "deleted" : merged.reason}` };
  let manifest: Json;
  let lock: Json;
  try {
    manifest = JSON.parse(manifestText) as Json;
    lock = JSON.parse(merged.content) as Json;
  } catch {
    return { ok: false, reason: "package.json or the lockfile is not valid JSON" };
  }
  const problem = inconsistency(manifest, lock);
  if (problem) return { ok: false, reason: `regenerating the lockfile would need the network: ${problem}` };
  return { ok: true, content: merged.content, detail: "lockfile merged and checked against the merged package.json" };
}

/** Why `lock` does not describe `manifest`'s direct dependencies, or undefined when it does. */
function inconsistency(manifest: Json, lock: Json): string | undefined {
  if (!isObj(manifest) || !isObj(lock)) return "unexpected document shape";
  const version = lock.lockfileVersion;
  if (version !== 2 && version !== 3) return `lockfileVersion ${JSON.stringify(version ?? null)} is not supported`;
  const packages = lock.packages;
  if (!isObj(packages)) return "the lockfile has no packages map";
  const root = packages[""];
  if (!isObj(root)) return "the lockfile has no root package entry";
  for (const field of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
    const wanted = manifest[field];
    const locked = root[field];
    if (JSON.stringify(wanted ?? {}) !== JSON.stringify(locked ?? {})) return `the lockfile's ${field} differ from package.json`;
    if (!isObj(wanted)) continue;
    for (const dep of Object.keys(wanted)) {
      if (field === "peerDependencies") continue;
      if (!isObj(packages[`node_modules/${dep}`])) return `${dep} is not resolved in the lockfile`;
    }
  }
  return undefined;
}

/**
 * A cheap fingerprint of everything the checkout guard compares, read from the repository's files without
 * starting git: HEAD, every loose ref outside kappa's own `refs/heads/kappa/`, and the stat data of packed-refs
 * and the index (git replaces both by rename, so a rewrite changes the inode). Equal fingerprints mean the last
 * snapshot still holds; undefined (a `.git` file, a reftable repository) means "take a snapshot".
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { KAPPA_REF_PREFIX } from "./checkout-guard.js";

export function checkoutFingerprint(repo: string): string | undefined {
  const gitDir = join(repo, ".git");
  try {
    if (!statSync(gitDir).isDirectory() || existsSync(join(gitDir, "reftable"))) return undefined;
    const parts = [readFileSync(join(gitDir, "HEAD"), "utf8"), stat(join(gitDir, "packed-refs")), stat(join(gitDir, "index"))];
    looseRefs(join(gitDir, "refs"), "refs/", parts);
    return createHash("sha256").update(parts.join("\n")).digest("hex");
  } catch {
    return undefined;
  }
}

function stat(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return "-";
  }
}

function looseRefs(dir: string, prefix: string, parts: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const ref = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      // kappa's own branches are skipped whole, so the cost does not grow with the run's tasks.
      if (`${ref}/` !== KAPPA_REF_PREFIX) looseRefs(join(dir, entry.name), `${ref}/`, parts);
    } else if (!ref.startsWith(KAPPA_REF_PREFIX)) parts.push(`${ref} ${readFileSync(join(dir, entry.name), "utf8")}`);
  }
}

/**
 * Which of a task's changed files stay out of its commit: an agent CLI's leftovers from an interrupted write
 * (`notes.md.tmp.<pid>.<hex>`, the CLI's atomic-write temp file) and secret files (the `neverCommit` globs, and an
 * `.npmrc` that holds a token). Pure: the caller lists the files and reads an `.npmrc` when asked.
 */
import { basename } from "node:path/posix";
import { matchesGlob } from "../core/index.js";

/** The default `neverCommit` globs. */
export const DEFAULT_NEVER_COMMIT = [".env*", "*.pem", "*.key", "id_rsa*"] as const;

export type KeptOutReason = "temp-file" | "secret-file";

export interface KeptOutFile {
  path: string;
  reason: KeptOutReason;
}

/** The temp file of an interrupted atomic write: `<name>.tmp.<pid>.<hex>`. */
const WRITE_TEMP = /\.tmp\.\d+\.[0-9a-f]{4,}$/i;
/** An npm credential: `_authToken=`, `_auth=` or `_password=`, in any scope. */
const NPMRC_TOKEN = /(^|[\s:])_(authToken|auth|password)\s*=/m;

/** Why `path` must not be committed, or undefined. `readNpmrc` gives an `.npmrc`'s text (undefined if unreadable). */
export function keptOutReason(path: string, neverCommit: readonly string[], readNpmrc: (path: string) => string | undefined): KeptOutReason | undefined {
  if (WRITE_TEMP.test(basename(path))) return "temp-file";
  if (neverCommit.some((glob) => matchesGlob(path, glob))) return "secret-file";
  if (basename(path) === ".npmrc" && NPMRC_TOKEN.test(readNpmrc(path) ?? "")) return "secret-file";
  return undefined;
}

/** The files of `paths` that stay out of the commit, with the reason for each. */
export function keptOutFiles(paths: readonly string[], neverCommit: readonly string[], readNpmrc: (path: string) => string | undefined): KeptOutFile[] {
  const out: KeptOutFile[] = [];
  for (const path of paths) {
    const reason = keptOutReason(path, neverCommit, readNpmrc);
    if (reason) out.push({ path, reason });
  }
  return out;
}

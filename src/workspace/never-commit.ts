/**
 * Which of a task's changed files stay out of its commit: an agent CLI's leftovers from an interrupted write
 * (`notes.md.tmp.<pid>.<hex>`, the CLI's atomic-write temp file) and secret files (the `neverCommit` globs, and an
 * `.npmrc` that holds a token). Pure: the caller lists the files and reads an `.npmrc` when asked.
 */
import { basename } from "node:path/posix";

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

const compiled = new Map<string, RegExp>();

/**
 * A path glob as in `.gitattributes`: `**` any depth, `*` within a segment, `?` one character; a glob without `/`
 * matches the file name at any depth.
 */
export function pathGlob(glob: string): RegExp {
  const cached = compiled.get(glob);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const regex = new RegExp(glob.includes("/") ? `^${re.replace(/^\//, "")}$` : `^(?:.*/)?${re}$`);
  compiled.set(glob, regex);
  return regex;
}

/** Why `path` must not be committed, or undefined. `readNpmrc` gives an `.npmrc`'s text (undefined if unreadable). */
export function keptOutReason(path: string, neverCommit: readonly string[], readNpmrc: (path: string) => string | undefined): KeptOutReason | undefined {
  if (WRITE_TEMP.test(basename(path))) return "temp-file";
  if (neverCommit.some((glob) => pathGlob(glob).test(path))) return "secret-file";
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

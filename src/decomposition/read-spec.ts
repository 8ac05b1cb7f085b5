/**
 * Reading a specification file. Every way it can be unusable (missing, a directory, empty, binary, too large)
 * is an InputError with one sentence on what to fix, raised before anything is written.
 */
import { readFileSync, statSync } from "node:fs";
import { InputError, NotFoundError } from "../core/index.js";

export function readSpecFile(path: string, maxBytes: number): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(`the spec ${path} is a directory, not a file`, { hint: "pass the specification file itself, e.g. --spec SPEC.md" });
    if (!stat.isFile()) throw new InputError(`the spec ${path} is not a regular file`, { hint: "pass a Markdown or plain-text file" });
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new NotFoundError(`the spec file ${path} does not exist`, { hint: "check the path passed to --spec", cause: error });
    throw new InputError(`cannot read the spec ${path}: ${(error as Error).message}`, { hint: "check the file's permissions", cause: error });
  }
  if (size > maxBytes) {
    throw new InputError(`the spec ${path} is ${size} bytes, more than the limit of ${maxBytes}`, { hint: "split it into smaller specs, or raise specMaxBytes (KAPPA_SPEC_MAX_BYTES or .kappa/config.yaml)" });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read the spec ${path}: ${(error as Error).message}`, { hint: "check the file's permissions", cause: error });
  }
  if (bytes.includes(0)) throw new InputError(`the spec ${path} looks binary (it contains NUL bytes)`, { hint: "pass a Markdown or plain-text specification (UTF-8)" });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputError(`the spec ${path} is not valid UTF-8 text`, { hint: "save the specification as UTF-8 Markdown or plain text", cause: error });
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  if (text.trim().length === 0) throw new InputError(`the spec ${path} is empty`, { hint: "write the requirements into it first (Markdown headings and bullet lists work best)" });
  return text;
}

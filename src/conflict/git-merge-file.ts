/**
 * `git merge-file`: git's own line merge of three texts, no repository needed. The structured strategies work on
 * the conflict hunks git reports (diff3 style, so each hunk carries its base), never on an alignment of their own.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../workspace/git.js";
import { hasConflictMarkers, type MergeRegion } from "./diff3.js";

let direct = false;

/**
 * For the short-lived `kappa merge-driver` process: start `git merge-file` directly. kappa's git runner hands
 * processes to a helper node process (workspace/git-runner.ts), which is right for the long-running orchestrator
 * but costs the driver a second node start (~80 ms) for one or two git calls.
 */
export function spawnGitDirectly(): void {
  direct = true;
}

function runDirect(args: readonly string[], cwd: string, signal: AbortSignal): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, signal, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code === "number") resolve({ code, stdout });
      else reject(error ?? new Error("git merge-file failed"));
    });
  });
}

/** `git merge-file -p`: the merged text when clean, else a refusal (and the marked text). */
export async function gitMergeFile(base: string, ours: string, theirs: string, signal: AbortSignal, labels = ["ours", "base", "theirs"], diff3 = false): Promise<{ clean: boolean; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), "kappa-mf-"));
  try {
    const files = ["ours", "base", "theirs"].map((n) => join(dir, n));
    writeFileSync(files[0] as string, ours);
    writeFileSync(files[1] as string, base);
    writeFileSync(files[2] as string, theirs);
    const args = ["merge-file", "-p", ...(diff3 ? ["--diff3"] : [])];
    for (const l of labels) args.push("-L", l);
    const r = direct ? await runDirect([...args, ...files], dir, signal) : await git([...args, ...files], { cwd: dir, signal, okCodes: [...Array(128).keys()] });
    if (r.code >= 128) throw new Error(`git merge-file failed (exit ${r.code})`);
    return { clean: r.code === 0, text: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * git's regions of a three-way merge: the lines git merged and, for each hunk git could not merge, what base,
 * ours and theirs have there. Undefined when the output could not be read back unambiguously (a side already
 * holds marker-like lines, or lacks a final newline, which git's markers would change).
 */
export async function gitMergeRegions(base: string, ours: string, theirs: string, signal: AbortSignal): Promise<MergeRegion[] | undefined> {
  for (const text of [base, ours, theirs]) {
    if (hasConflictMarkers(text) || (text !== "" && !text.endsWith("\n"))) return undefined;
  }
  const r = await gitMergeFile(base, ours, theirs, signal, ["ours", "base", "theirs"], true);
  return parseDiff3(r.text);
}

/** Parses `git merge-file --diff3 -L ours -L base -L theirs` output. */
export function parseDiff3(text: string): MergeRegion[] | undefined {
  const lines = text === "" ? [] : text.split(/(?<=\n)/);
  const regions: MergeRegion[] = [];
  let stable: string[] = [];
  let i = 0;
  let baseLine = 0;
  // git writes its markers with the file's line ending.
  const is = (line: string | undefined, marker: string): boolean => line !== undefined && line.replace(/\r?\n$/, "") === marker;
  const take = (until: string): string[] | undefined => {
    const out: string[] = [];
    while (i < lines.length && !is(lines[i], until)) out.push(lines[i++] as string);
    if (i >= lines.length) return undefined;
    i++;
    return out;
  };
  while (i < lines.length) {
    const line = lines[i] as string;
    if (!is(line, "<<<<<<< ours")) {
      stable.push(line);
      baseLine++;
      i++;
      continue;
    }
    i++;
    const o = take("||||||| base");
    const b = o && take("=======");
    const t = b && take(">>>>>>> theirs");
    if (!o || !b || !t) return undefined;
    if (stable.length > 0) regions.push({ stable: true, lines: stable });
    stable = [];
    regions.push({ stable: false, base: b, ours: o, theirs: t, baseStart: baseLine });
    baseLine += b.length;
  }
  if (stable.length > 0) regions.push({ stable: true, lines: stable });
  return regions;
}

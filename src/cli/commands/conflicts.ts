import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { InputError, NotFoundError, UsageError, printable } from "../../core/index.js";
import { getConflict, listConflicts, resolveConflict, type ConflictResolution, type ConflictRow } from "../../knowledge/index.js";
import { hasConflictMarkers, mergeTextRegions, withConflictMarkers, type ConflictDetail } from "../../conflict/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine, style } from "../output.js";

/** `kappa conflicts` (the review queue) and `kappa resolve` (a person's decision). */
export function registerConflicts(program: Command, { action }: CommandHelpers): void {
  program
    .command("conflicts")
    .description("list merge conflicts waiting for a person, with both sides of each file")
    .option("--run <run>", "only this run's conflicts")
    .option("--all", "also resolved and applied conflicts")
    .addHelpText("after", "\nExample:\n  kappa conflicts --run r-20250101-abc\n  kappa resolve --conflict 12 --theirs")
    .action(
      action(async (ctx, opts: { run?: string; all?: boolean }) => {
        const db = await ctx.db();
        const rows = await listConflicts(db.pool, { runId: opts.run, projectRoot: ctx.paths.root, status: opts.all ? undefined : "open" });
        if (ctx.json) {
          for (const row of rows) printJson({ type: "conflict", ...summary(row), files: detailsOf(row).map((d) => ({ path: d.path, kind: d.kind, tried: d.tried, base: d.base, ours: d.ours, theirs: d.theirs })) });
          return 0;
        }
        if (rows.length === 0) {
          printLine(opts.run ? `no open conflicts in run ${opts.run}` : "no open conflicts");
          return 0;
        }
        const s = style(ctx.color);
        for (const row of rows) {
          printLine(s.bold(`conflict ${row.id}`) + `  run ${row.runId}  task ${row.taskId}  ${row.status}  ${row.createdAt.toISOString()}`);
          for (const d of detailsOf(row)) {
            printLine(`  ${s.cyan(printable(d.path, { oneLine: true }))} (${d.kind})${d.tried.length > 0 ? s.dim(`  ${d.tried.map((t) => `${t.strategy}: ${t.reason}`).join("; ")}`) : ""}`);
            for (const line of shortDiff(d)) printLine(`    ${line.startsWith("<") ? s.red(line) : line.startsWith(">") ? s.green(line) : s.dim(line)}`);
          }
          printLine(`  resolve: kappa resolve --conflict ${row.id} --ours | --theirs | --file <path> | --edit`);
          printLine();
        }
        return 0;
      }),
    );

  program
    .command("resolve")
    .description("resolve a conflict from `kappa conflicts`; the waiting task merges (also after a restart)")
    .requiredOption("--conflict <id>", "the conflict id")
    .option("--ours", "keep the integration branch's version of every file")
    .option("--theirs", "take the task's version of every file")
    .option("--file <path>", "a file holding the resolved content; for several files repeat <repo-path>=<local-file>", (v: string, prev: string[] = []) => [...prev, v])
    .option("--edit", "edit the files with conflict markers in $EDITOR")
    .addHelpText("after", "\nExamples:\n  kappa resolve --conflict 12 --ours\n  kappa resolve --conflict 12 --file merged.ts\n  kappa resolve --conflict 12 --file src/a.ts=a.ts --file src/b.ts=b.ts")
    .action(
      action(async (ctx, opts: { conflict: string; ours?: boolean; theirs?: boolean; file?: string[]; edit?: boolean }) => {
        const modes = [opts.ours, opts.theirs, opts.file !== undefined, opts.edit].filter(Boolean).length;
        if (modes !== 1) throw new UsageError("choose exactly one of --ours, --theirs, --file and --edit", { hint: "e.g. `kappa resolve --conflict 12 --theirs`" });
        if (!/^[1-9]\d{0,15}$/.test(opts.conflict)) {
          throw new UsageError(`"${opts.conflict}" is not a conflict id`, { hint: "conflict ids are numbers; `kappa conflicts` lists them" });
        }
        const id = Number(opts.conflict);
        const db = await ctx.db();
        const row = await getConflict(db.pool, id);
        if (!row) throw new NotFoundError(`there is no conflict ${id}`, { hint: "`kappa conflicts` lists the open conflicts and their ids" });
        if (row.status !== "open") throw new InputError(`conflict ${id} is already ${row.status}`, { hint: "`kappa conflicts --all` shows how it was resolved" });
        const details = detailsOf(row);
        const resolution = opts.ours ? sideResolution(details, "ours") : opts.theirs ? sideResolution(details, "theirs") : opts.file ? fileResolution(details, opts.file) : editResolution(details, ctx.env.VISUAL ?? ctx.env.EDITOR ?? "vi");
        const result = await resolveConflict(db.pool, id, resolution);
        if (!result.ok) throw new InputError(`conflict ${id} was resolved by someone else meanwhile`, { hint: "`kappa conflicts --all` shows how it was resolved" });
        if (ctx.json) printJson({ type: "conflict:resolved", id, kind: resolution.kind, files: Object.keys(resolution.files) });
        else printLine(`conflict ${id} resolved (${resolution.kind}); task ${row.taskId} merges when its run picks it up (kappa resume ${row.runId} if it is not running)`);
        return 0;
      }),
    );
}

function summary(row: ConflictRow): Record<string, unknown> {
  return { id: row.id, runId: row.runId, taskId: row.taskId, status: row.status, createdAt: row.createdAt.toISOString(), paths: row.files };
}

function detailsOf(row: ConflictRow): ConflictDetail[] {
  const conflicts = (row.detail as { conflicts?: ConflictDetail[] }).conflicts;
  return Array.isArray(conflicts) ? conflicts : row.files.map((path) => ({ path, kind: "unknown", tried: [] }));
}

const MAX_DIFF_LINES = 12;

/** A few lines per conflicting hunk: `<` ours, `>` theirs. */
function shortDiff(d: ConflictDetail): string[] {
  if (d.ours === undefined || d.theirs === undefined) {
    return [d.ours === undefined ? (d.oursOid ? "< (binary or large)" : "< (deleted on the integration branch)") : "< (kept)", d.theirs === undefined ? (d.theirsOid ? "> (binary or large)" : "> (deleted by the task)") : "> (kept)"];
  }
  const lines: string[] = [];
  for (const region of conflictRegionsOf(d)) {
    lines.push(`@@ line ${region.baseStart + 1}`);
    for (const l of region.ours) lines.push(`< ${l.replace(/\n$/, "")}`);
    for (const l of region.theirs) lines.push(`> ${l.replace(/\n$/, "")}`);
  }
  return lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`] : lines;
}

function conflictRegionsOf(d: ConflictDetail): { baseStart: number; ours: string[]; theirs: string[] }[] {
  return regions(d).filter((r): r is Extract<typeof r, { stable: false }> => !r.stable);
}

function regions(d: ConflictDetail): ReturnType<typeof mergeTextRegions> {
  return mergeTextRegions(d.base ?? "", d.ours ?? "", d.theirs ?? "");
}

function sideResolution(details: ConflictDetail[], side: "ours" | "theirs"): ConflictResolution {
  const files: Record<string, string | null> = {};
  for (const d of details) {
    const content = d[side];
    const oid = side === "ours" ? d.oursOid : d.theirsOid;
    if (content !== undefined) files[d.path] = content;
    else if (oid === undefined) files[d.path] = null;
    // else: binary or large — applied from the blob by side.
  }
  return { kind: side, files };
}

function fileResolution(details: ConflictDetail[], specs: string[]): ConflictResolution {
  const files: Record<string, string | null> = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    let repoPath: string;
    let local: string;
    if (eq > 0) {
      repoPath = spec.slice(0, eq);
      local = spec.slice(eq + 1);
    } else {
      if (details.length !== 1) {
        throw new UsageError(`conflict touches ${details.length} files: say which one ${spec} resolves`, { hint: `repeat --file <repo-path>=<local-file> for: ${details.map((d) => d.path).join(", ")}` });
      }
      repoPath = (details[0] as ConflictDetail).path;
      local = spec;
    }
    if (!details.some((d) => d.path === repoPath)) throw new InputError(`${repoPath} is not part of this conflict`, { hint: `its files: ${details.map((d) => d.path).join(", ")}` });
    if (!existsSync(local)) throw new InputError(`cannot read ${local}`, { hint: "pass a file holding the resolved content" });
    const content = readFileSync(local, "utf8");
    if (hasConflictMarkers(content)) throw new InputError(`${local} still holds conflict markers`, { hint: "remove every <<<<<<< ======= >>>>>>> block, then run this again" });
    files[repoPath] = content;
  }
  const missing = details.filter((d) => !(d.path in files)).map((d) => d.path);
  if (missing.length > 0) throw new UsageError(`no resolution given for ${missing.join(", ")}`, { hint: "repeat --file <repo-path>=<local-file> for every file of the conflict" });
  return { kind: "file", files };
}

function editResolution(details: ConflictDetail[], editor: string): ConflictResolution {
  const files: Record<string, string | null> = {};
  const dir = mkdtempSync(join(tmpdir(), "kappa-resolve-"));
  try {
    for (const d of details) {
      if (d.ours === undefined || d.theirs === undefined) {
        throw new InputError(`${d.path} is deleted or binary on one side and cannot be edited as text`, { hint: "use --ours or --theirs, or --file <repo-path>=<local-file>" });
      }
      const file = join(dir, basename(d.path));
      writeFileSync(file, withConflictMarkers(regions(d), { ours: "ours (integration branch)", theirs: "theirs (task)", base: "base" }));
      const r = spawnSync("sh", ["-c", `${editor} "$1"`, "sh", file], { stdio: "inherit" });
      if (r.status !== 0) throw new InputError(`the editor (${editor}) exited with ${r.status ?? r.signal ?? "an error"}; nothing was stored`, { hint: "set $EDITOR to an editor that waits until you close the file" });
      const content = readFileSync(file, "utf8");
      if (hasConflictMarkers(content)) throw new InputError(`${d.path} still holds conflict markers; nothing was stored`, { hint: "remove every <<<<<<< ||||||| ======= >>>>>>> block and save, then run kappa resolve again" });
      files[d.path] = content;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { kind: "file", files };
}

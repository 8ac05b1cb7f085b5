/**
 * Subscribers of the event bus for humans (readable lines on stderr) and machines (NDJSON on stdout).
 */
import { printableDeep, type EventBus, type KappaEvent } from "../core/index.js";
import { printErr, style, type Style } from "./output.js";

/** Every event as one JSON line on stdout, each carrying the run's id (account-level events too). */
export function attachNdjson(bus: EventBus, scrub: (s: string) => string, runId: string): () => void {
  return bus.onAny((event) => {
    if (event.type === "log") return;
    const line = "runId" in event && event.runId ? event : { ...event, runId };
    process.stdout.write(`${scrub(JSON.stringify(line))}\n`);
  });
}

/** Readable progress on stderr. Session output is summarised (tool calls), not streamed. */
export function attachProgress(bus: EventBus, options: { color: boolean; verbose?: boolean; simulated: boolean }): () => void {
  const s = style(options.color);
  const t0 = Date.now();
  const clock = (): string => s.dim(`[${formatDuration(Date.now() - t0).padStart(6)}]`);
  return bus.onAny((event) => {
    // Titles, reasons, file names and session text come from specs, plans and sessions: no escape reaches the terminal.
    const line = describe(printableDeep(event), s, options);
    if (line) printErr(`${clock()} ${line}`);
  });
}

function describe(e: KappaEvent, s: Style, options: { verbose?: boolean; simulated: boolean }): string | undefined {
  switch (e.type) {
    case "run:started":
      return `${s.bold(`run ${e.runId}`)}: ${e.tasks} tasks, up to ${e.maxParallel} sessions at once, schedule ${e.schedule}${e.simulated ? s.yellow(" (simulated model)") : ""}${e.sandboxed ? "" : s.yellow(" (no sandbox: sessions run unconfined)")}`;
    case "run:resumed":
      return `${s.bold(`run ${e.runId}`)} resumed`;
    case "run:stopping":
      return s.yellow(`run ${e.runId} stopping: ${e.reason}`);
    case "task:started":
      return `${s.cyan("start")}   ${e.taskId}${e.attempt > 1 ? s.dim(` (attempt ${e.attempt})`) : ""}`;
    case "task:retrying":
      return s.yellow(`retry   ${e.taskId} in ${formatDuration(e.delayMs)}: ${e.reason}`);
    case "task:completed":
      return `${s.green("done")}    ${e.taskId} ${s.dim(`${formatDuration(e.durationMs)}, ${e.filesChanged.length} file(s), $${e.costUsd.toFixed(4)}`)}`;
    case "task:failed":
      return s.red(`failed  ${e.taskId}: ${e.reason}`);
    case "task:skipped":
      return s.yellow(`skipped ${e.taskId}: ${e.reason}`);
    case "merge:done":
      return `${s.green("merged")}  ${e.taskId} ${s.dim(`→ ${e.commit.slice(0, 8)} (${e.strategy})`)}`;
    case "merge:conflict":
      return s.yellow(`conflict ${e.taskId}: ${e.files.join(", ")}`);
    case "conflict:queued":
      return s.yellow(`review  ${e.taskId} waits for you: kappa conflicts; kappa resolve --conflict ${e.conflictId} --ours|--theirs`);
    case "conflict:resolved":
      return `${s.green("resolved")} ${e.taskId} (conflict ${e.conflictId}, ${e.strategy})`;
    case "conflict:predicted":
      return s.dim(`note    ${e.taskIds.join(" and ")} both touch ${e.file}`);
    case "merge:reverted":
      return s.yellow(`revert  ${e.taskId}: ${e.reason}`);
    case "gate:failed":
      return s.yellow(`tests   failed after merging ${e.taskId}`);
    case "checkout:changed":
      return s.red(`changed your checkout changed during the run (not by kappa): ${e.changes.map((c) => c.message).join("; ")}; no new task starts`);
    case "commit:excluded":
      return s.yellow(`kept    out of ${e.taskId}'s commit (left in its worktree): ${e.files.map((f) => `${f.path} (${f.reason === "secret-file" ? "secret file" : "half-written temp file"})`).join(", ")}`);
    case "breaker:opened":
      return s.yellow(`pause   account ${e.account}: ${e.reason}; new sessions wait ${formatDuration(Math.max(0, e.untilMs - Date.now()))}`);
    case "breaker:closed":
      return `resume  account ${e.account}`;
    case "database:lost":
      return s.yellow("pause   database connection lost: sessions keep running, starting and merging wait; reconnecting");
    case "database:restored":
      return `resume  database back after ${formatDuration(e.downMs)}`;
    case "plan:warning":
      return s.yellow(`warning ${e.message}`);
    case "session:output":
      if (!options.verbose || e.kind !== "tool_use") return undefined;
      return s.dim(`        ${e.taskId}: ${e.text.split("\n")[0]?.slice(0, 100) ?? ""}`);
    default:
      return undefined;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  const r = Math.round(sec % 60);
  return m < 60 ? `${m}m${String(r).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

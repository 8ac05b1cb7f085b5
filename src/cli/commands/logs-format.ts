/**
 * How a session reads for a human in `kappa logs`: a header (task, account, status, tokens, cost, and the
 * "simulated model" label) and one short line per event, with tool calls summarised (`Write src/app.ts (34 lines)`).
 */
import { printable } from "../../core/index.js";
import type { SessionRow, StoredSessionEvent } from "../../knowledge/index.js";
import { formatCost, formatTokens } from "../../metrics/index.js";
import type { Style } from "../output.js";

const MAX_TEXT = 160;

export function formatSessionHeader(s: SessionRow, st: Style): string[] {
  const where = [`task ${s.taskId ?? "?"}`, `attempt ${s.attempt}`];
  if (s.runId) where.push(`run ${s.runId}`);
  const who = [`account ${s.account ?? "?"}`, `model ${s.model ?? "?"}`, `driver ${s.driver}`];
  if (s.simulated) who.push(st.yellow("simulated model"));
  const statusText = s.status === "completed" ? st.green("completed") : s.status === "running" ? st.cyan("running") : st.red(s.errorKind ? `${s.status} (${s.errorKind})` : s.status);
  const u = s.usage;
  const tokens = `tokens ${formatTokens(u.inputTokens)} in / ${formatTokens(u.outputTokens)} out` + (u.cacheReadTokens + u.cacheWriteTokens > 0 ? ` (cache ${formatTokens(u.cacheReadTokens)} read, ${formatTokens(u.cacheWriteTokens)} written)` : "");
  const facts = [`status ${statusText}`, `${s.turns} turn${s.turns === 1 ? "" : "s"}`];
  if (s.durationMs !== null) facts.push(formatDuration(s.durationMs));
  facts.push(tokens, `cost ${formatCost(s.costUsd)}`);
  const lines = [st.bold(`session ${s.id}`) + ` · ${where.join(" · ")}`, who.join(" · "), facts.join(" · ")];
  if (s.error) lines.push(st.red(`reason: ${s.error}`));
  if (s.filesChanged.length > 0) lines.push(`files: ${s.filesChanged.join(", ")}`);
  return lines;
}

/** `root` (the session's worktree, when known) is stripped from paths so they read as repository paths. */
export function formatEventLine(e: StoredSessionEvent, st: Style, root?: string): string {
  const time = st.dim(clock(e.at));
  const kind = e.kind.padEnd(11);
  const strip = (t: string): string => (root ? t.split(root).join("") : t);
  // Session text (tool output with colours, an agent's escapes) is printed without escapes or control characters.
  const body = e.kind === "tool_use" ? printable(strip(summariseToolUse(e.tool, e.data, e.text)), { oneLine: true }) : oneLine(printable(strip(e.text), { oneLine: true }));
  const coloured = e.kind === "error" ? st.red(body) : e.kind === "tool_use" ? st.cyan(body) : e.kind === "result" ? st.bold(body) : body;
  return `${time}  ${kind} ${coloured}`;
}

/** `Write src/app.ts (34 lines)`, `Edit src/a.ts (-2 +5 lines)`, `Bash: npm test`, else the tool and its text. */
export function summariseToolUse(tool: string | null | undefined, data: unknown, text: string): string {
  const name = tool ?? "tool";
  const input = toolInput(data);
  const path = typeof input.file_path === "string" ? shortPath(input.file_path) : typeof input.path === "string" ? shortPath(input.path) : undefined;
  if (name === "Write" && path) {
    const n = countLines(input.content);
    return `Write ${path} (${n} line${n === 1 ? "" : "s"})`;
  }
  if ((name === "Edit" || name === "MultiEdit") && path) {
    if (typeof input.old_string === "string" || typeof input.new_string === "string") return `Edit ${path} (-${countLines(input.old_string)} +${countLines(input.new_string)} lines)`;
    return `${name} ${path}`;
  }
  if (name === "Read" && path) return `Read ${path}`;
  if (name === "Bash" && typeof input.command === "string") return `Bash: ${oneLine(input.command)}`;
  if ((name === "Grep" || name === "Glob") && typeof input.pattern === "string") return `${name} ${oneLine(input.pattern)}${path ? ` in ${path}` : ""}`;
  const rest = oneLine(text);
  return rest.startsWith(name) ? rest : `${name}${rest ? ` ${rest}` : ""}`;
}

/**
 * The worktree a session ran in, guessed from a tool's absolute path that ends with one of the changed files
 * (the session row stores files relative to the worktree, not the worktree itself).
 */
export function guessWorktreeRoot(events: StoredSessionEvent[], filesChanged: string[]): string | undefined {
  for (const e of events) {
    const input = toolInput(e.data);
    const path = typeof input.file_path === "string" ? input.file_path : undefined;
    if (!path?.startsWith("/")) continue;
    for (const f of filesChanged) if (path.endsWith(`/${f}`)) return path.slice(0, path.length - f.length);
  }
  return undefined;
}

function toolInput(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== "object") return {};
  const record = data as Record<string, unknown>;
  const inner = record.input;
  return inner !== null && typeof inner === "object" ? (inner as Record<string, unknown>) : record;
}

/** A worktree path reads as the repository path. */
function shortPath(p: string): string {
  return p.replace(/^.*\/\.kappa\/worktrees\/[^/]+\//, "");
}

function countLines(value: unknown): number {
  if (typeof value !== "string" || value === "") return 0;
  return value.split("\n").length - (value.endsWith("\n") ? 1 : 0);
}

/** One line, at most MAX_TEXT characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= MAX_TEXT ? flat : `${flat.slice(0, MAX_TEXT - 1)}…`;
}

function clock(at: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m}m ${Math.round(s - m * 60)}s`;
}

/**
 * The generic behaviour for tasks without a scenario entry: the task writes its own file
 * (`tasks/<task-id>.md`) and adds a line to the shared `TASKS.md`, so that parallel tasks produce real merges.
 * Claude Code refuses to edit a file it has not read, so the first turn reads `TASKS.md`; what comes next depends
 * on the results of the last tool calls (a failed or lost Edit starts the cycle again).
 */
import type { ReplyToolUse } from "./sse.js";
import type { RequestInfo, ToolResult } from "./request-info.js";

export interface GenericTurn {
  tools: ReplyToolUse[];
  text?: string | undefined;
}

export const SHARED_FILE = "TASKS.md";

export function genericTurn(info: RequestInfo, abs: (path: string) => string): GenericTurn {
  const id = info.taskId ?? "task";
  const line = `- ${id}`;
  const onShared = (r: ToolResult): boolean => typeof r.input?.file_path === "string" && r.input.file_path.endsWith(SHARED_FILE);
  const shared = (r: ToolResult): boolean => !r.isError && onShared(r);
  // Decided by what the last tools did, as an agent would: a session resumed after a crash may find its last
  // calls unanswered or interrupted, and then starts its cycle again instead of believing them done.
  // A finished session resumed with its prompt again sees its own edit in the history.
  const edited = (r: ToolResult): boolean => (r.toolName === "Edit" || r.toolName === "Write") && shared(r);
  if (info.turn > 0 && (info.lastResults.some(edited) || (info.lastResults.length === 0 && info.allResults.some(edited)))) {
    return { tools: [], text: `Task ${id} done: wrote tasks/${id}.md and added it to ${SHARED_FILE} (simulated model).` };
  }
  // A Read that failed because the file does not exist yet is an answer too: the task creates the file.
  const missing = (r: ToolResult): boolean => r.isError && /does not exist|no such file/i.test(r.text);
  const read = info.lastResults.find((r) => r.toolName === "Read" && onShared(r) && (!r.isError || missing(r)));
  if (!read) {
    const title = /^Title: *(.+)$/m.exec(info.prompt)?.[1] ?? id;
    return {
      text: `I will write tasks/${id}.md and list it in ${SHARED_FILE}.`,
      tools: [
        { name: "Write", input: { file_path: abs(`tasks/${id}.md`), content: `# ${title}\n\nTask ${id}, written by the simulated model.\n` } },
        { name: "Read", input: { file_path: abs(SHARED_FILE) } },
      ],
    };
  }
  const lines = read.isError ? undefined : readLines(read);
  if (!lines || lines.every((l) => l.trim() === "")) {
    return { tools: [{ name: "Write", input: { file_path: abs(SHARED_FILE), content: `# Tasks\n\n${line}\n` } }] };
  }
  // A session restarted after an interruption finds its line already there, as a real agent would notice.
  if (lines.includes(line)) return { tools: [], text: `Task ${id} done: ${SHARED_FILE} already lists it (simulated model).` };
  const oldString = uniqueTail(lines);
  return { tools: [{ name: "Edit", input: { file_path: abs(SHARED_FILE), old_string: oldString, new_string: `${oldString}\n${line}` } }] };
}

/** The file's lines from a Read tool result (`     1\tline` or `1→line`), system reminders dropped. */
export function readLines(result: ToolResult): string[] | undefined {
  const text = result.text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "");
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    const m = /^\s*(\d+)(?:\t|→)(.*)$/.exec(raw);
    if (m) lines.push(m[2] ?? "");
  }
  return lines.length > 0 ? lines : undefined;
}

/** The shortest run of last non-empty lines that occurs once in the file: a safe Edit anchor. */
export function uniqueTail(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? "").trim() === "") end--;
  const content = lines.join("\n");
  for (let start = end - 1; start >= 0; start--) {
    const candidate = lines.slice(start, end).join("\n");
    if (content.indexOf(candidate) === content.lastIndexOf(candidate)) return candidate;
  }
  return lines.slice(0, end).join("\n");
}

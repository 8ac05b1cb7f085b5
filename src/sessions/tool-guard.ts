/**
 * The PreToolUse guard: sessions run unattended with every permission granted, so this hook is what keeps a
 * session's file edits inside its own worktree and keeps configured dangerous commands from running.
 * Bash can still write anywhere a shell can; the guard stops the direct file tools and the listed commands.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { HookCallback, HookJSONOutput } from "@anthropic-ai/claude-agent-sdk";

/** Tools that write a file named in their input. */
export const FILE_WRITE_TOOLS: Readonly<Record<string, string>> = {
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};

export type GuardDecision = { allow: true } | { allow: false; reason: string };

/** Collapses whitespace so that `git   push` matches `git push` (a trailing space in a pattern is kept). */
export function normalizeCommand(command: string): string {
  return command.replace(/\s+/g, " ");
}

/** The real path of `path`, resolving symlinks of its deepest existing ancestor. */
function realish(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return path;
  }
}

/** True when `path` (absolute, or relative to `root`) is `root` or below it, symlinks resolved. */
export function isInside(root: string, path: string): boolean {
  const realRoot = realish(resolve(root));
  const target = realish(isAbsolute(path) ? resolve(path) : resolve(root, path));
  const rel = relative(realRoot, target);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Whether a tool call may run in a session confined to `worktree`. Pure apart from resolving symlinks. */
export function checkToolUse(toolName: string, input: unknown, worktree: string, dangerousCommands: readonly string[]): GuardDecision {
  const fields = (input ?? {}) as Record<string, unknown>;
  const pathKey = FILE_WRITE_TOOLS[toolName];
  if (pathKey) {
    const path = fields[pathKey];
    if (typeof path !== "string" || path === "") return { allow: false, reason: `${toolName} needs a ${pathKey}` };
    if (!isInside(worktree, path)) {
      return { allow: false, reason: `${path} is outside this task's worktree (${worktree}); kappa only allows changes inside the worktree` };
    }
    const rel = relative(realish(resolve(worktree)), realish(resolve(worktree, path)));
    if (rel === ".git" || rel.startsWith(`.git${sep}`)) return { allow: false, reason: "files under .git are managed by kappa" };
    return { allow: true };
  }
  if (toolName === "Bash") {
    const command = normalizeCommand(typeof fields.command === "string" ? fields.command : "");
    const hit = dangerousCommands.find((d) => command.includes(normalizeCommand(d)));
    if (hit !== undefined) return { allow: false, reason: `the command contains "${hit.trim()}", which kappa's dangerousCommands setting forbids` };
  }
  return { allow: true };
}

/** The SDK hook: denies what {@link checkToolUse} refuses; `onDeny` lets the driver record it as an event. */
export function toolGuardHook(
  worktree: string,
  dangerousCommands: readonly string[],
  onDeny: (tool: string, reason: string) => void,
): HookCallback {
  return (input): Promise<HookJSONOutput> => {
    if (input.hook_event_name !== "PreToolUse") return Promise.resolve({});
    const decision = checkToolUse(input.tool_name, input.tool_input, worktree, dangerousCommands);
    if (decision.allow) return Promise.resolve({});
    onDeny(input.tool_name, decision.reason);
    return Promise.resolve({
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: decision.reason },
    });
  };
}

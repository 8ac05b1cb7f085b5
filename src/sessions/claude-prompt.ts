/**
 * The prompt a Claude Code session receives. The `Task id: <id>` line is part of the contract with the
 * simulated model, which matches scenario entries on it.
 */
import type { PlannedTask } from "../core/index.js";

export interface PromptParts {
  task: PlannedTask;
  /** The project's CLAUDE.md text. */
  conventions?: string | undefined;
  /** Output of a previous failed attempt, etc. */
  feedback?: string | undefined;
}

export function buildPrompt({ task, conventions, feedback }: PromptParts): string {
  const lines = [`Task id: ${task.id}`, `Title: ${task.title}`, "", task.prompt.trim(), ""];
  if (task.acceptance.length > 0) lines.push("Acceptance criteria:", ...task.acceptance.map((a) => `- ${a}`), "");
  if (task.files.length > 0) lines.push("Files you are expected to create or change:", ...task.files.map((f) => `- ${f}`), "");
  if (conventions?.trim()) lines.push("Project conventions (CLAUDE.md):", conventions.trim(), "");
  if (feedback?.trim()) lines.push("Feedback from a previous attempt:", feedback.trim(), "");
  lines.push(
    "Work only inside the current directory (your git worktree). Other tasks run in parallel in other worktrees;",
    "do not commit, push or switch branches: kappa commits and merges your changes.",
    "When you are done, reply with a short summary of what you changed.",
  );
  return lines.join("\n");
}

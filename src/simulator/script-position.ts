/**
 * Where a scripted session stands, read from its conversation as an agent would: which scripted turn comes
 * next, and which tool calls of the last turn must be made again first. A session killed in the middle of a
 * turn is resumed by Claude Code with that turn's unfinished calls answered "interrupted" (or not answered at
 * all); a real agent would make those calls again and carry on, so the simulated model does too, instead of
 * moving past a turn whose work never happened.
 */
import type { ToolCall } from "./request-info.js";

export interface ScriptPosition {
  /** Index of the next scripted turn. */
  step: number;
  /** Calls of the last turn that did not run; non-empty = answer with them before the next scripted turn. */
  redo: ToolCall[];
}

/** Claude Code's answer for a tool call cut short by an interruption (a kill, Ctrl-C, a resume). */
const INTERRUPTED = /doesn't want to take this action|interrupted/i;

function didNotRun(call: ToolCall): boolean {
  return call.result === undefined || (call.result.isError && INTERRUPTED.test(call.result.text));
}

/**
 * Replays the conversation: each assistant turn is either the next scripted turn or, when the turn before it
 * left calls unrun, the simulated model's repetition of those calls (it always answers so, which is what makes
 * the replay exact).
 */
export function scriptPosition(history: readonly ToolCall[][]): ScriptPosition {
  let step = 0;
  let redo: ToolCall[] = [];
  for (const turn of history) {
    if (redo.length === 0) step++;
    redo = turn.filter(didNotRun);
  }
  return { step, redo };
}

/**
 * Decides what the simulated model answers to one request: the scripted turn of the matching scenario entry,
 * the generic behaviour, a structured-output tool call, or a short text for side requests; plus the latency,
 * token usage and any fault to inject.
 */
import { isAbsolute, join } from "node:path";
import type { TokenUsage } from "../core/index.js";
import type { FaultBook, FaultSite } from "./faults.js";
import { genericTurn } from "./generic.js";
import { scriptPosition } from "./script-position.js";
import { STRUCTURED_OUTPUT_TOOL, type RequestInfo } from "./request-info.js";
import type { Fault, Scenario, TaskEntry } from "./scenario.js";
import type { Reply, ReplyToolUse } from "./sse.js";

export interface Decision {
  reply: Reply;
  latencyMs: number;
  fault: Fault | undefined;
  /** Index of the scenario entry that matched, or undefined for the generic behaviour / side requests. */
  entry: number | undefined;
}

export type StructuredOutputFn = (prompt: string) => unknown;

const DEFAULT_USAGE: TokenUsage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
const PATH_KEYS = ["file_path", "notebook_path", "path"] as const;

/** The first entry matching the request's task, by id and/or prompt regex. */
export function matchEntry(scenario: Scenario, info: RequestInfo): number | undefined {
  const index = scenario.tasks.findIndex((entry) => {
    if (entry.match.taskId !== undefined && entry.match.taskId !== info.taskId) return false;
    if (entry.match.prompt !== undefined && !new RegExp(entry.match.prompt, "m").test(info.prompt)) return false;
    return true;
  });
  return index < 0 ? undefined : index;
}

function usageOf(scenario: Scenario, override: Partial<TokenUsage> | undefined): TokenUsage {
  return { ...DEFAULT_USAGE, ...stripUndefined(scenario.defaults.usage), ...stripUndefined(override ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Makes relative paths absolute under the session's cwd and fills `{taskId}` placeholders. */
export function prepareInput(input: Record<string, unknown>, cwd: string | undefined, taskId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    let v = typeof value === "string" ? value.split("{taskId}").join(taskId) : value;
    if (typeof v === "string" && (PATH_KEYS as readonly string[]).includes(key) && cwd && !isAbsolute(v)) v = join(cwd, v);
    out[key] = v;
  }
  return out;
}

export function decide(
  scenario: Scenario,
  info: RequestInfo,
  faults: FaultBook,
  structuredOutput: StructuredOutputFn | undefined,
): Decision {
  const taskId = info.taskId ?? "task";
  if (info.side) {
    return { reply: { text: "Simulated session", tools: [], usage: { ...DEFAULT_USAGE, inputTokens: 50, outputTokens: 5 } }, latencyMs: 0, fault: undefined, entry: undefined };
  }
  const entryIndex = matchEntry(scenario, info);
  const entry: TaskEntry | undefined = entryIndex === undefined ? undefined : scenario.tasks[entryIndex];
  // Scripted turns follow the conversation, not the request count: a resumed session first makes again the
  // calls its last turn never ran, then goes on with the next scripted turn.
  const position = entry?.turns ? scriptPosition(info.history) : undefined;
  const redo = position?.redo ?? [];
  const scripted = position && redo.length === 0 ? entry?.turns?.[position.step] : undefined;
  const sites: FaultSite[] = [];
  if (scripted?.fault) sites.push({ key: `${entryIndex}:turn:${position?.step ?? info.turn}`, fault: scripted.fault });
  if (entry?.fault) sites.push({ key: `${entryIndex}:session`, fault: entry.fault });
  const fault = faults.take(sites);
  const latencyMs = scripted?.latencyMs ?? scenario.defaults.latencyMs;
  const usage = usageOf(scenario, scripted?.usage);
  const abs = (path: string): string => (info.cwd && !isAbsolute(path) ? join(info.cwd, path) : path);

  let tools: ReplyToolUse[];
  let text: string | undefined;
  if (info.wantsStructuredOutput) {
    if (info.structuredOutputDone) {
      text = "Done (simulated model).";
      tools = [];
    } else {
      // A scenario entry's scripted answer wins (tests script bad planner answers); then the built-in answer.
      const value = entry?.structuredOutput !== undefined ? entry.structuredOutput : structuredOutput ? structuredOutput(info.prompt) : scenario.structuredOutput;
      tools = [{ name: STRUCTURED_OUTPUT_TOOL, input: (value ?? {}) as Record<string, unknown> }];
    }
  } else if (entry?.turns) {
    if (redo.length > 0) {
      tools = redo.map((call) => ({ name: call.name, input: call.input }));
      text = `Continuing task ${taskId}: ${redo.length} tool call(s) of my last turn did not run, making them again (simulated model).`;
    } else if (scripted) {
      tools = scripted.tools.map((t) => ({ name: t.tool, input: prepareInput(t.input, info.cwd, taskId) }));
      text = scripted.text?.split("{taskId}").join(taskId);
      if (tools.length === 0 && text === undefined) text = `Task ${taskId} done (simulated model).`;
    } else {
      tools = [];
      text = `Task ${taskId} done (simulated model).`;
    }
  } else {
    const turn = genericTurn(info, abs);
    tools = turn.tools;
    text = turn.text;
  }
  return { reply: { text, tools, usage }, latencyMs, fault, entry: entryIndex };
}

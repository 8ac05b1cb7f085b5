/**
 * Scenario files drive the simulated model: per task a list of turns (tool calls and/or a final text), with
 * latency, token usage and injected faults. Validated with zod; a bad file gets one message naming the key and
 * its line.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { InputError, MAX_YAML_ALIASES, yamlAliasLimit } from "../core/index.js";

export const FAULT_TYPES = ["rate_limit", "overloaded", "server_error", "auth", "stall", "malformed", "slow"] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

const nonNegativeInt = z.number().int().min(0);

export const usageSchema = z.strictObject({
  inputTokens: nonNegativeInt.optional(),
  outputTokens: nonNegativeInt.optional(),
  cacheReadTokens: nonNegativeInt.optional(),
  cacheWriteTokens: nonNegativeInt.optional(),
});

export const faultSchema = z.strictObject({
  /**
   * rate_limit = 429 with retry-after, overloaded = 529, server_error = 500, auth = 401, stall = headers and a
   * first event then silence, malformed = an event whose data is not JSON, slow = every event delayed.
   */
  type: z.enum(FAULT_TYPES),
  /** The first N matching requests fail; absent = every matching request. */
  times: z.number().int().positive().optional(),
  /** For rate_limit: the retry-after header, in seconds. @default 1 */
  retryAfterSeconds: z.number().min(0).optional(),
  /** For slow: delay before each event, in milliseconds. @default 200 */
  delayMs: nonNegativeInt.optional(),
});
export type Fault = z.infer<typeof faultSchema>;

export const toolCallSchema = z.strictObject({
  /** A Claude Code tool name: Write, Edit, MultiEdit, Bash, Read, Glob, Grep, NotebookEdit… */
  tool: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: "tool must be a Claude Code tool name such as Write or Bash" }),
  /** The tool's input as its JSON schema wants it; relative `file_path`/`notebook_path` are made absolute. */
  input: z.record(z.string(), z.unknown()).default({}),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const turnSchema = z
  .strictObject({
    tools: z.array(toolCallSchema).default([]),
    /** Text of the answer; a turn without tools ends the session. */
    text: z.string().optional(),
    latencyMs: nonNegativeInt.optional(),
    usage: usageSchema.optional(),
    fault: faultSchema.optional(),
  })
  .refine((t) => t.tools.length > 0 || t.text !== undefined || t.fault !== undefined, {
    message: "a turn needs tools, text or a fault",
  });
export type Turn = z.infer<typeof turnSchema>;

export const taskEntrySchema = z.strictObject({
  /** Which tasks this entry is for; both keys must match when both are given; absent = every task. */
  match: z
    .strictObject({
      taskId: z.string().min(1).optional(),
      /** A regular expression tested against the whole prompt. */
      prompt: z.string().min(1).refine(isValidRegex, { message: "prompt must be a valid regular expression" }).optional(),
    })
    .default({}),
  /** Scripted turns; absent = the generic behaviour (the task writes its own file and edits TASKS.md). */
  turns: z.array(turnSchema).min(1).optional(),
  /** A fault for every request of the session (any turn). */
  fault: faultSchema.optional(),
  /** Answer to a JSON-schema (structured output) request for this task. */
  structuredOutput: z.unknown().optional(),
});
export type TaskEntry = z.infer<typeof taskEntrySchema>;

export const scenarioSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: z.string().min(1).default("scenario"),
  defaults: z
    .strictObject({
      latencyMs: nonNegativeInt.default(0),
      usage: usageSchema.default({}),
    })
    .default({ latencyMs: 0, usage: {} }),
  /** Entries are tried in order; the first that matches a task wins. */
  tasks: z.array(taskEntrySchema).default([]),
  /** Answer to JSON-schema requests no task entry answers. */
  structuredOutput: z.unknown().optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** The scenario shipped with kappa: every task gets the generic behaviour. */
export const DEFAULT_SCENARIO_PATH = fileURLToPath(new URL("./scenarios/default.yaml", import.meta.url));

/** Validates a scenario given as data (tests, benches). */
export function parseScenarioObject(input: unknown, source = "scenario"): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? formatPath(issue.path) : "";
  throw new InputError(`${source}: ${where ? `${where}: ` : ""}${issue?.message ?? "invalid scenario"}`, {
    hint: "fix the scenario (see src/simulator/scenarios/default.yaml for the format)",
  });
}

/** Parses scenario YAML text; errors name the file, the key and its line. */
export function parseScenarioText(text: string, source = "scenario"): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const message = (yamlError.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError(`${source}${pos ? `:${pos.line}` : ""}: not valid YAML: ${message}`, {
      hint: "fix the YAML syntax at that line",
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: yamlAliasLimit() }) ?? {};
  } catch (cause) {
    throw new InputError(`${source}: uses more than ${MAX_YAML_ALIASES} YAML aliases (*name), which kappa refuses`, {
      hint: "write the values out instead of repeating them with anchors (&name) and aliases (*name)",
      cause,
    });
  }
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const path = [...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
  const line = lineOf(doc, lineCounter, path);
  throw new InputError(
    `${source}${line ? `:${line}` : ""}: ${path.length > 0 ? `${formatPath(path)}: ` : ""}${issue?.message ?? "invalid scenario"}`,
    { hint: "fix that key (see src/simulator/scenarios/default.yaml for the format)" },
  );
}

/** Reads and validates a scenario file, or the shipped default for "default". */
export function loadScenario(path: string): Scenario {
  const file = path === "default" ? DEFAULT_SCENARIO_PATH : path;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the scenario file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "pass an existing YAML file to --scenario, or \"default\"",
      cause: error,
    });
  }
  return parseScenarioText(text, file);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out;
}

/** The line of the deepest node of `path` that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  const keys = path.filter((p): p is string | number => typeof p === "string" || typeof p === "number");
  for (let depth = keys.length; depth >= 0; depth--) {
    const prefix = keys.slice(0, depth);
    const node: unknown = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

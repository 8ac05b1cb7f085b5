/**
 * Reads what the simulator needs out of a Messages API request body sent by Claude Code: which task (the
 * `Task id:` line), the whole prompt, the session's working directory (from the environment block Claude Code
 * puts in its prompt), how many turns have happened, and the tool results of the last turn.
 */

export interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface ApiMessage {
  role: string;
  content: string | ContentBlock[];
}

export interface MessagesRequest {
  model?: string;
  messages?: ApiMessage[];
  system?: string | ContentBlock[];
  tools?: { name: string; input_schema?: unknown }[];
  max_tokens?: number;
  stream?: boolean;
}

export interface ToolResult {
  toolUseId: string;
  toolName: string | undefined;
  input: Record<string, unknown> | undefined;
  text: string;
  isError: boolean;
}

/** One tool call of an assistant turn, with its result when the conversation holds one. */
export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  result: ToolResult | undefined;
}

export interface RequestInfo {
  model: string;
  stream: boolean;
  /** No tools: a side request such as title generation. */
  side: boolean;
  taskId: string | undefined;
  /** The first user message's text (system reminders dropped): the task prompt. */
  prompt: string;
  cwd: string | undefined;
  /** Assistant turns already in the conversation: the index of the turn to answer. */
  turn: number;
  /** Results of the tool calls made in the previous turn. */
  lastResults: ToolResult[];
  /** Results of every tool call in the conversation (a resumed session's history included). */
  allResults: ToolResult[];
  /** Every assistant turn of the conversation, in order, as its tool calls (a resumed session's history included). */
  history: ToolCall[][];
  /** The request offers the StructuredOutput tool (SDK `outputFormat: json_schema`). */
  wantsStructuredOutput: boolean;
  /** The StructuredOutput tool has already been called. */
  structuredOutputDone: boolean;
}

export const STRUCTURED_OUTPUT_TOOL = "StructuredOutput";
const TASK_ID_LINE = /^Task id: *(\S+) *$/m;
const CWD_LINE = /Primary working directory: *([^\n]+)/;

export function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b: ContentBlock) => (b.type === "text" && typeof b.text === "string" ? b.text : b.type === "tool_result" ? blockText(b.content) : ""))
    .join("\n");
}

function blocks(message: ApiMessage | undefined): ContentBlock[] {
  if (!message) return [];
  return typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
}

export function readRequest(body: MessagesRequest): RequestInfo {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const firstUser = messages.find((m) => m.role === "user");
  const prompt = blocks(firstUser)
    .filter((b) => b.type === "text" && typeof b.text === "string" && !b.text.trimStart().startsWith("<system-reminder>"))
    .map((b) => b.text ?? "")
    .join("\n");
  const everything = `${blockText(body.system)}\n${messages.map((m) => blockText(m.content)).join("\n")}`;
  const cwd = CWD_LINE.exec(everything)?.[1]?.trim();
  const taskId = TASK_ID_LINE.exec(prompt)?.[1] ?? TASK_ID_LINE.exec(everything)?.[1];

  const toolUses = new Map<string, ContentBlock>();
  let turn = 0;
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    turn++;
    for (const b of blocks(message)) if (b.type === "tool_use" && b.id) toolUses.set(b.id, b);
  }
  const resultsOf = (message: (typeof messages)[number] | undefined): ToolResult[] => {
    if (message?.role !== "user") return [];
    const results: ToolResult[] = [];
    for (const b of blocks(message)) {
      if (b.type !== "tool_result" || !b.tool_use_id) continue;
      const use = toolUses.get(b.tool_use_id);
      results.push({
        toolUseId: b.tool_use_id,
        toolName: use?.name,
        input: use?.input as Record<string, unknown> | undefined,
        text: blockText(b.content),
        isError: b.is_error === true,
      });
    }
    return results;
  };
  const lastResults = resultsOf(messages[messages.length - 1]);
  const allResults = messages.flatMap((m) => resultsOf(m));
  const structuredOutputDone = [...toolUses.values()].some((b) => b.name === STRUCTURED_OUTPUT_TOOL);
  const resultById = new Map(allResults.map((r) => [r.toolUseId, r]));
  const history = messages
    .filter((m) => m.role === "assistant")
    .map((m) =>
      blocks(m)
        .filter((b) => b.type === "tool_use" && typeof b.name === "string")
        .map((b): ToolCall => ({ name: b.name ?? "", input: (b.input ?? {}) as Record<string, unknown>, result: b.id === undefined ? undefined : resultById.get(b.id) })),
    );
  return {
    model: typeof body.model === "string" ? body.model : "claude-simulated",
    stream: body.stream === true,
    side: tools.length === 0,
    taskId,
    prompt,
    cwd,
    turn,
    lastResults,
    allResults,
    history,
    wantsStructuredOutput: tools.some((t) => t.name === STRUCTURED_OUTPUT_TOOL),
    structuredOutputDone,
  };
}

/**
 * Turns the Agent SDK's message stream into kappa's SessionEvents and remembers what the result needs: the
 * session id, token usage, files written, the last API error and any retry-after the CLI reported.
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { SDKMessage, SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import type { TokenUsage } from "../core/index.js";
import { emptyUsage, type SessionErrorKind, type SessionEvent } from "./driver.js";
import { FILE_WRITE_TOOLS } from "./tool-guard.js";

const MAX_EVENT_TEXT = 4000;

interface Block {
  type: string;
  text?: string;
  name?: string;
  input?: Record<string, unknown>;
  content?: unknown;
  is_error?: boolean;
}

interface RawUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** An API failure the CLI reported (assistant `error` / result `api_error_status` / `api_retry`). */
export interface ApiFailure {
  status: number | undefined;
  error: string | undefined;
  message: string;
}

function clip(text: string, max = MAX_EVENT_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as Block[]).map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("\n");
}

/** Maps an HTTP status of the Messages API to the kind of failure. */
export function kindFromStatus(status: number | null | undefined): SessionErrorKind | undefined {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limited";
  if (status === 529) return "overloaded";
  if (status !== null && status !== undefined && status >= 500) return "server_error";
  return undefined;
}

/** Maps the CLI's error names (`SDKAssistantMessageError`) to the kind of failure. */
export function kindFromApiError(error: string | undefined): SessionErrorKind | undefined {
  switch (error) {
    case "authentication_failed":
    case "oauth_org_not_allowed":
    case "billing_error":
    case "account_on_hold":
    case "cloud_credential_error":
      return "auth";
    case "rate_limit":
      return "rate_limited";
    case "overloaded":
      return "overloaded";
    case "server_error":
      return "server_error";
    default:
      return undefined;
  }
}

export class SessionTracker {
  sessionId: string | undefined;
  result: SDKResultMessage | undefined;
  lastFailure: ApiFailure | undefined;
  /** Set when the CLI announced a retry of a 429/529: the driver stops the session and lets kappa's pool decide. */
  retryAnnounced: { kind: SessionErrorKind; retryAfterMs: number; status: number } | undefined;
  readonly filesWritten = new Set<string>();
  private readonly usageByMessage = new Map<string, TokenUsage>();
  private lastText = "";

  constructor(private readonly worktree: string) {}

  /** Events for one SDK message (often none, sometimes several: one per content block). */
  handle(message: SDKMessage): SessionEvent[] {
    const m = message as unknown as Record<string, unknown> & { type: string; subtype?: string };
    if (typeof m.session_id === "string") this.sessionId ??= m.session_id;
    switch (m.type) {
      case "system":
        return this.system(m);
      case "assistant":
        return this.assistant(m);
      case "user":
        return this.user(m);
      case "result":
        return this.resultMessage(message as SDKResultMessage);
      default:
        return [];
    }
  }

  private system(m: Record<string, unknown> & { subtype?: string }): SessionEvent[] {
    if (m.subtype === "init") {
      return [{ kind: "system", text: `session started (model ${String(m.model)}, Claude Code ${String(m.claude_code_version)})`, data: { sessionId: m.session_id, cwd: m.cwd } }];
    }
    if (m.subtype === "api_retry") {
      const status = typeof m.error_status === "number" ? m.error_status : undefined;
      const error = typeof m.error === "string" ? m.error : undefined;
      const delay = typeof m.retry_delay_ms === "number" ? m.retry_delay_ms : 0;
      this.lastFailure = { status, error, message: `API error ${status ?? "(no response)"} (${error ?? "unknown"})` };
      const kind = kindFromStatus(status);
      if (kind === "rate_limited" || kind === "overloaded") this.retryAnnounced = { kind, retryAfterMs: delay, status: status ?? 0 };
      return [{ kind: "error", text: `${this.lastFailure.message}; Claude Code would retry in ${delay} ms`, data: { status, error, retryAfterMs: delay } }];
    }
    if (m.subtype === "compact_boundary") return [{ kind: "system", text: "conversation compacted" }];
    return [];
  }

  private assistant(m: Record<string, unknown>): SessionEvent[] {
    const message = (m.message ?? {}) as { id?: string; content?: Block[]; usage?: RawUsage };
    if (message.id && message.usage) this.usageByMessage.set(message.id, fromRaw(message.usage));
    const events: SessionEvent[] = [];
    if (typeof m.error === "string") {
      const text = contentText(message.content) || m.error;
      const status = typeof m.api_error_status === "number" ? m.api_error_status : undefined;
      this.lastFailure = { status, error: m.error, message: text };
      return [{ kind: "error", text: clip(text), data: { status, error: m.error } }];
    }
    for (const block of message.content ?? []) {
      if (block.type === "text" && block.text) {
        this.lastText = block.text;
        events.push({ kind: "text", text: clip(block.text) });
      } else if (block.type === "tool_use" && block.name) {
        events.push(this.toolUse(block.name, block.input ?? {}));
      }
    }
    return events;
  }

  private toolUse(tool: string, input: Record<string, unknown>): SessionEvent {
    const pathKey = FILE_WRITE_TOOLS[tool];
    const path = pathKey ? input[pathKey] : undefined;
    const event: SessionEvent = { kind: "tool_use", tool, text: `${tool} ${describeInput(tool, input)}`, data: { input: clipInput(input) } };
    if (typeof path === "string" && path) {
      const abs = isAbsolute(path) ? path : resolve(this.worktree, path);
      const rel = relative(this.worktree, abs);
      const file = rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
      event.files = [file];
      this.filesWritten.add(file);
    }
    return event;
  }

  private user(m: Record<string, unknown>): SessionEvent[] {
    const message = (m.message ?? {}) as { content?: unknown };
    if (!Array.isArray(message.content)) return [];
    const events: SessionEvent[] = [];
    for (const block of message.content as Block[]) {
      if (block.type !== "tool_result") continue;
      const text = typeof block.content === "string" ? block.content : contentText(block.content);
      events.push({ kind: "tool_result", text: clip(text, 2000), data: { isError: block.is_error === true } });
    }
    return events;
  }

  private resultMessage(result: SDKResultMessage): SessionEvent[] {
    this.result = result;
    const r = result as SDKResultMessage & { result?: string; errors?: string[]; api_error_status?: number | null };
    const text = r.result ?? (r.errors ?? []).join("; ");
    return [{ kind: "result", text: clip(text || result.subtype), data: { subtype: result.subtype, isError: result.is_error, turns: result.num_turns, costUsd: result.total_cost_usd } }];
  }

  /** Tokens: the result's per-model totals when there is a result, else what the assistant messages reported. */
  usage(): TokenUsage {
    const result = this.result;
    if (result) {
      const models = Object.values(result.modelUsage ?? {});
      if (models.length > 0) {
        const total = emptyUsage();
        for (const u of models) {
          total.inputTokens += u.inputTokens;
          total.outputTokens += u.outputTokens;
          total.cacheReadTokens += u.cacheReadInputTokens;
          total.cacheWriteTokens += u.cacheCreationInputTokens;
        }
        return total;
      }
      return fromRaw(result.usage);
    }
    const total = emptyUsage();
    for (const u of this.usageByMessage.values()) {
      total.inputTokens += u.inputTokens;
      total.outputTokens += u.outputTokens;
      total.cacheReadTokens += u.cacheReadTokens;
      total.cacheWriteTokens += u.cacheWriteTokens;
    }
    return total;
  }

  /** Model round trips: the result's count, else distinct assistant messages seen. */
  turns(): number {
    return this.result?.num_turns ?? this.usageByMessage.size;
  }

  lastAssistantText(): string {
    return this.lastText;
  }
}

function fromRaw(u: RawUsage): TokenUsage {
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  };
}

function describeInput(tool: string, input: Record<string, unknown>): string {
  const pick = (key: string): string | undefined => (typeof input[key] === "string" ? (input[key]) : undefined);
  const value = tool === "Bash" ? pick("command") : (pick("file_path") ?? pick("notebook_path") ?? pick("pattern") ?? pick("path") ?? pick("url") ?? pick("description"));
  return clip(value ?? JSON.stringify(input), 300);
}

function clipInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = typeof v === "string" ? clip(v, 1000) : v;
  return out;
}

/**
 * Feeds every SDK message of a session to `tracker` (and its events to `onEvents`), and stops the CLI through
 * `stop` as soon as it announces an API retry (429/529): kappa's pool owns retries and the breaker. Returns
 * what the stream threw, if anything (the CLI may throw after an error result).
 */
export async function consumeSession(
  stream: AsyncIterable<SDKMessage>,
  tracker: SessionTracker,
  stop: () => void,
  onEvents: (events: SessionEvent[]) => void = () => undefined,
): Promise<unknown> {
  try {
    for await (const message of stream) {
      onEvents(tracker.handle(message));
      if (tracker.retryAnnounced) {
        stop();
        break;
      }
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

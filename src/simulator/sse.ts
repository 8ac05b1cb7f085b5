/**
 * The Messages API wire format: a reply becomes either a list of server-sent events (streamed) or one JSON
 * message (non-streamed). Pure functions, so the framing is unit-tested without a server.
 */
import { randomBytes } from "node:crypto";
import type { TokenUsage } from "../core/index.js";

export interface ReplyToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** What the simulated model answers to one request. */
export interface Reply {
  text?: string | undefined;
  tools: ReplyToolUse[];
  usage: TokenUsage;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export function newId(prefix: string): string {
  return `${prefix}_sim${randomBytes(10).toString("hex")}`;
}

/** One event in SSE framing: `event:` line, one `data:` line, blank line. */
export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

function stopReason(reply: Reply): "tool_use" | "end_turn" {
  return reply.tools.length > 0 ? "tool_use" : "end_turn";
}

function usageStart(usage: TokenUsage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: 1,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}

/** Splits text into a few deltas, as the real API streams it. */
export function chunkText(text: string, size = 64): string[] {
  if (text.length === 0) return [""];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The message_start event alone (sent first, before any latency, so the client sees headers promptly). */
export function messageStartEvent(model: string, messageId: string, usage: TokenUsage): SseEvent {
  return {
    event: "message_start",
    data: {
      type: "message_start",
      message: { id: messageId, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: usageStart(usage) },
    },
  };
}

/** Every event after message_start, ending with message_stop. Tool ids are supplied so callers can log them. */
export function replyEvents(reply: Reply, toolIds: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  let index = 0;
  if (reply.text !== undefined) {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
    for (const piece of chunkText(reply.text)) {
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } } });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
    index++;
  }
  reply.tools.forEach((tool, i) => {
    const id = toolIds[i] ?? newId("toolu");
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "tool_use", id, name: tool.name, input: {} } } });
    for (const piece of chunkText(JSON.stringify(tool.input), 256)) {
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } } });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
    index++;
  });
  events.push({
    event: "message_delta",
    data: { type: "message_delta", delta: { stop_reason: stopReason(reply), stop_sequence: null }, usage: { output_tokens: reply.usage.outputTokens } },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

/** The non-streamed answer: one JSON message. */
export function replyMessage(reply: Reply, model: string, messageId: string, toolIds: string[]): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text });
  reply.tools.forEach((tool, i) => content.push({ type: "tool_use", id: toolIds[i] ?? newId("toolu"), name: tool.name, input: tool.input }));
  return {
    id: messageId,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: { ...usageStart(reply.usage), output_tokens: reply.usage.outputTokens },
  };
}

/** The Anthropic error body for an HTTP status. */
export function errorBody(status: number, message: string): Record<string, unknown> {
  const type =
    status === 401 ? "authentication_error" : status === 429 ? "rate_limit_error" : status === 529 ? "overloaded_error" : status === 404 ? "not_found_error" : status === 400 ? "invalid_request_error" : "api_error";
  return { type: "error", error: { type, message } };
}

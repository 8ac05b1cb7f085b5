/**
 * The simulated Anthropic Messages API: an HTTP server on 127.0.0.1 that Claude Code talks to through
 * `ANTHROPIC_BASE_URL`. It answers `POST /v1/messages` (streamed and not), plus the few other endpoints a
 * client may call, and injects the faults the scenario asks for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sleep, silentLogger, type Logger } from "../core/index.js";
import { decide, type StructuredOutputFn } from "./behaviour.js";
import { FaultBook } from "./faults.js";
import { readRequest, type MessagesRequest } from "./request-info.js";
import { loadScenario, parseScenarioObject, type FaultType, type Scenario, type ScenarioInput } from "./scenario.js";
import { errorBody, formatSse, messageStartEvent, newId, replyEvents, replyMessage, type SseEvent } from "./sse.js";
import { StatsRecorder, type SimulatorStats } from "./stats.js";

/** Shown wherever a user sees output from the simulator. */
export const SIMULATED_MODEL_LABEL = "simulated model";

export interface SimulatorOptions {
  /** A scenario file path, "default", or a scenario object. @default "default" */
  scenario?: string | ScenarioInput | undefined;
  /** @default 0 (any free port) */
  port?: number | undefined;
  /** Answers JSON-schema (structured output) requests; takes precedence over the scenario's value. */
  structuredOutput?: StructuredOutputFn | undefined;
  logger?: Logger | undefined;
}

export interface SimulatorHandle {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  scenario: Scenario;
  close(): Promise<void>;
  stats(): SimulatorStats;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const FAULT_STATUS: Partial<Record<FaultType, number>> = { rate_limit: 429, overloaded: 529, server_error: 500, auth: 401 };
const STATUS_MESSAGE: Record<number, string> = {
  429: "Number of request tokens has exceeded your per-minute rate limit",
  529: "Overloaded",
  500: "Internal server error",
  401: "invalid x-api-key",
};

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const scenario =
    options.scenario === undefined || typeof options.scenario === "string"
      ? loadScenario(options.scenario ?? "default")
      : parseScenarioObject(options.scenario);
  const logger = options.logger ?? silentLogger();
  const faults = new FaultBook();
  const stats = new StatsRecorder();
  const lifetime = new AbortController();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn({ err: error }, "simulated model: request failed");
      if (!res.headersSent) sendJson(res, 500, errorBody(500, "simulator error"));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const body = await readBody(req);
    logger.debug({ method: req.method, url: req.url }, "simulated model: request");
    if (req.method === "POST" && path === "/v1/messages") return messages(req, res, body);
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      return sendJson(res, 200, { input_tokens: Math.max(1, Math.round(body.length / 4)) });
    }
    if (req.method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, { data: [{ type: "model", id: "claude-sonnet-4-5", display_name: `Claude (${SIMULATED_MODEL_LABEL})`, created_at: "2025-01-01T00:00:00Z" }], has_more: false, first_id: "claude-sonnet-4-5", last_id: "claude-sonnet-4-5" });
    }
    if ((req.method === "GET" || req.method === "HEAD") && path === "/") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(req.method === "HEAD" ? undefined : `${SIMULATED_MODEL_LABEL}\n`);
      return;
    }
    logger.warn({ method: req.method, url: req.url }, "simulated model: endpoint not implemented");
    sendJson(res, 404, errorBody(404, `the ${SIMULATED_MODEL_LABEL} does not implement ${req.method ?? "?"} ${path}`));
  }

  async function messages(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: MessagesRequest;
    try {
      body = JSON.parse(raw) as MessagesRequest;
    } catch {
      return sendJson(res, 400, errorBody(400, "request body is not JSON"));
    }
    const info = readRequest(body);
    const sessionHeader = req.headers["x-claude-code-session-id"];
    const sessionId = typeof sessionHeader === "string" ? sessionHeader : undefined;
    const decision = decide(scenario, info, faults, options.structuredOutput);
    const fault = decision.fault;
    logger.debug({ taskId: info.taskId, sessionId, turn: info.turn, side: info.side, fault: fault?.type, tools: decision.reply.tools.map((t) => t.name) }, "simulated model: answer");
    const countsAsFault = fault !== undefined && fault.type !== "slow";
    stats.record(info.taskId, sessionId, countsAsFault ? undefined : decision.reply.usage, countsAsFault);

    const closed = new AbortController();
    res.on("close", () => closed.abort());
    const signal = AbortSignal.any([closed.signal, lifetime.signal]);
    const status = fault ? FAULT_STATUS[fault.type] : undefined;
    if (fault && status !== undefined) {
      const headers: Record<string, string> = {};
      if (fault.type === "rate_limit") headers["retry-after"] = String(fault.retryAfterSeconds ?? 1);
      const message = STATUS_MESSAGE[status] ?? "error";
      return sendJson(res, status, errorBody(status, `${message} (${SIMULATED_MODEL_LABEL})`), headers);
    }

    const messageId = newId("msg");
    const toolIds = decision.reply.tools.map(() => newId("toolu"));
    const eventDelay = fault?.type === "slow" ? (fault.delayMs ?? 200) : 0;
    if (!info.stream) {
      if (fault?.type === "stall") return; // headers never come; the connection stays open until closed
      await pause(decision.latencyMs + eventDelay, signal);
      if (fault?.type === "malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{\"id\": \"msg_broken\", \"content\": [");
        return;
      }
      return sendJson(res, 200, replyMessage(decision.reply, info.model, messageId, toolIds));
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "request-id": newId("req") });
    res.write(formatSse(messageStartEvent(info.model, messageId, decision.reply.usage)));
    if (fault?.type === "stall") return; // silence, connection open
    if (fault?.type === "malformed") {
      res.end("event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\n\n");
      return;
    }
    await pause(decision.latencyMs, signal);
    const events: SseEvent[] = replyEvents(decision.reply, toolIds);
    for (const event of events) {
      if (signal.aborted) return;
      if (eventDelay > 0) await pause(eventDelay, signal);
      res.write(formatSse(event));
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.debug({ url, scenario: scenario.name }, `${SIMULATED_MODEL_LABEL} listening`);
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    scenario,
    stats: () => stats.snapshot(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Sleeps, but returns early (without throwing) when the client goes away or the server closes. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleep(ms, signal).catch(() => undefined);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

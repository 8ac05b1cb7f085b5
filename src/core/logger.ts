/**
 * pino logger: JSON lines to `.kappa/logs/kappa.log` (everything at debug and above) and a readable stream on
 * stderr at the configured level. Secrets are scrubbed from every record.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { Scrubber } from "./secrets.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: "trace" | "debug" | "info" | "warn" | "error" | "silent";
  /** Directory for the JSON log file; no file when undefined. */
  logDir?: string | undefined;
  /** Readable output on stderr. @default true */
  stderr?: boolean;
  color?: boolean;
  scrubber: Scrubber;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrubber = options.scrubber;
  // Last line of defence: child bindings and an Error's message (used as `msg`) bypass the formatter below.
  const scrubbed = (stream: { write(line: string): unknown }): pino.DestinationStream => ({ write: (line: string) => stream.write(scrubber.text(line)) });
  const streams: pino.StreamEntry[] = [];
  const verbose = options.level === "debug" || options.level === "trace";
  if (options.stderr !== false && options.level !== "silent") {
    streams.push({
      level: options.level,
      // No stack traces on the user's terminal (they stay in the log file), except when debugging.
      stream: scrubbed(pretty({ destination: 2, sync: true, colorize: options.color ?? false, ignore: verbose ? "pid,hostname" : "pid,hostname,err.stack", translateTime: "HH:MM:ss" })),
    });
  }
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
    streams.push({ level: "debug", stream: scrubbed(pino.destination({ dest: join(options.logDir, "kappa.log"), append: true, sync: true })) });
  }
  return pino(
    {
      level: options.level === "silent" && !options.logDir ? "silent" : "debug",
      base: { pid: process.pid },
      formatters: { log: (obj) => scrubber.value(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === "string" ? scrubber.text(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    pino.multistream(streams.length > 0 ? streams : [{ level: "silent", stream: { write: () => undefined } }]),
  );
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * pino logger: JSON lines to `.kappa/logs/kappa.log` (everything at debug and above) and a readable stream on
 * stderr at the configured level. Secrets are scrubbed from every record.
 */
import { mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
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
    // Formatted synchronously and written through process.stderr, so that the lines keep their order with
    // kappa's own output (and a caller capturing process.stderr, like the fuzz tests, sees them). No stack
    // traces on the user's terminal (they stay in the log file), except when debugging.
    const prettify = prettyFactory({ colorize: options.color ?? false, ignore: verbose ? "pid,hostname" : "pid,hostname,err.stack", translateTime: "HH:MM:ss" });
    streams.push({ level: options.level, stream: scrubbed({ write: (line: string) => process.stderr.write(prettify(line)) }) });
  }
  if (options.logDir) {
    streams.push({ level: "debug", stream: scrubbed(lazyFile(join(options.logDir, "kappa.log"))) });
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

/**
 * The log file, created with its folder on the first line written: a command that logs nothing (such as one
 * refusing bad input) leaves `.kappa/` as it was.
 */
function lazyFile(file: string): { write(line: string): void } {
  let fd: number | undefined;
  return {
    write(line: string) {
      if (fd === undefined) {
        mkdirSync(dirname(file), { recursive: true });
        fd = openSync(file, "a");
      }
      writeSync(fd, line);
    },
  };
}

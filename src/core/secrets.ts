/**
 * Secrets come from the environment only and must never reach logs, the database or echoed prompts.
 * `Scrubber` replaces known secret values (and values under secret-looking keys) with "[redacted]".
 */
import { SECRET_ENV_PATTERN } from "./config/env.js";

export const REDACTED = "[redacted]";

export class Scrubber {
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...new Set(values)].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
  }

  text(input: string): string {
    let out = input;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }

  /** A deep copy of `value` with secrets replaced. */
  value(input: unknown, depth = 0): unknown {
    if (typeof input === "string") return this.text(input);
    if (depth > 8 || input === null || typeof input !== "object") return input;
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    if (input instanceof Error) return { type: input.name, message: this.text(input.message), stack: input.stack ? this.text(input.stack) : undefined };
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(input)) {
      out[key] = typeof v === "string" && SECRET_ENV_PATTERN.test(key) && !/TOKENS?$/i.test(key) && !/tokens/i.test(key) ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }
}

/**
 * The one secret scrubber. Secrets come from the environment only and must never reach logs, the database or
 * echoed prompts. `Scrubber` replaces known secret values, values under secret-looking keys, text matching
 * {@link SECRET_TEXT_PATTERNS} (credentials inside URLs) and the value of every secret-looking `NAME=value`
 * assignment in text (an `env` dump shows variables kappa never knew, such as the CLI's own
 * CLAUDE_CODE_MESSAGING_TOKEN) with "[redacted]". Every scrubbing rule lives here.
 */
import type { Environment } from "./config/env.js";

export const REDACTED = "[redacted]";

/** Names of environment variables (and object keys) whose values are secrets and must never be logged or stored. */
export const SECRET_ENV_PATTERN = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** Secret-shaped text, whoever's it is; group 1 is kept, group 2 is the secret. */
export const SECRET_TEXT_PATTERNS: readonly RegExp[] = [
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(?=@)/gi, // scheme://user:PASSWORD@host
];

/**
 * `NAME=value` where NAME is an upper-case variable name containing KEY, TOKEN, SECRET, PASSWORD, PASSWD or
 * CREDENTIAL (not a count such as MAX_TOKENS); the value runs to the next whitespace, quote or backslash (so that a
 * JSON-escaped text stays valid JSON), or is quoted. A name may follow a JSON escape such as `\n`.
 */
const SECRET_ASSIGNMENT = /(?<=^|[^A-Za-z0-9_]|\\[nrt])([A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)(?!S\b)[A-Z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s"'`\\]+)/g;

/** Values of secret-looking variables in `env` (at least 6 characters, so that scrubbing stays meaningful). */
export function secretValues(env: Environment): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 6 && SECRET_ENV_PATTERN.test(name)) values.push(value);
  }
  return values;
}

export class Scrubber {
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...new Set(values)].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
  }

  /** This scrubber plus `values` (e.g. the key of the account a session runs on). */
  with(values: Iterable<string>): Scrubber {
    return new Scrubber([...this.values, ...values]);
  }

  text(input: string): string {
    let out = input;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    for (const pattern of SECRET_TEXT_PATTERNS) out = out.replace(pattern, (_m, kept: string, secret: string) => (secret === REDACTED ? `${kept}${secret}` : `${kept}${REDACTED}`));
    return out.includes("=") ? out.replace(SECRET_ASSIGNMENT, (match, name: string, value: string) => (value === REDACTED ? match : `${name}=${REDACTED}`)) : out;
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

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors.js";
import { CONFIG_KEYS, configSchema, envNameFor, type ConfigKey, type KappaConfig } from "./schema.js";
import type { Environment } from "./env.js";

export type ConfigSource = "default" | "file" | "env" | "flag";

export interface LoadedConfig {
  config: KappaConfig;
  /** Where each key's value came from. */
  sources: Record<ConfigKey, ConfigSource>;
  /** Path of the project file, whether or not it exists. */
  file: string;
}

export interface LoadConfigOptions {
  /** Project root (the directory holding `.kappa/`). */
  projectDir: string;
  /** Values from CLI flags, already camelCased; `undefined` entries are ignored. */
  flags?: Partial<Record<ConfigKey, unknown>>;
  env: Environment;
}

export const CONFIG_FILE = join(".kappa", "config.yaml");

/** Alias expansions allowed in a YAML file: more is how a small "billion laughs" file exhausts memory. */
export const MAX_YAML_ALIASES = 100;

/**
 * The `maxAliasCount` to hand to yaml's `toJS` for {@link MAX_YAML_ALIASES}: yaml counts the anchored node
 * itself as one use, and multiplies by the aliases nested inside it, so a bomb's expansion is what is counted.
 */
export function yamlAliasLimit(): number {
  return MAX_YAML_ALIASES + 1;
}

/** Keys whose command-line option is not simply the kebab-cased key. */
const FLAG_NAMES: Partial<Record<ConfigKey, string>> = { maxParallelSessions: "-n/--max-parallel" };

const BOOLEAN_KEYS = new Set<ConfigKey>(["debug"]);
const JSON_KEYS = new Set<ConfigKey>(["accounts", "conflictStrategies"]);
const LIST_KEYS = new Set<ConfigKey>(["copyFiles", "dangerousCommands", "passEnv", "neverCommit", "networkAllowlist"]);

/**
 * Resolves the configuration once: CLI flags > environment > `.kappa/config.yaml` > defaults.
 * Every error names the key, the source and the fix.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = join(options.projectDir, CONFIG_FILE);
  const merged: Record<string, unknown> = {};
  const sources = Object.fromEntries(CONFIG_KEYS.map((k) => [k, "default"])) as Record<ConfigKey, ConfigSource>;
  const origin = new Map<string, string>();

  const fromFile = readConfigFile(file);
  for (const [key, { value, line }] of Object.entries(fromFile)) {
    if (!isConfigKey(key)) {
      throw new ConfigError(`unknown key "${key}" in ${file}${line ? ` line ${line}` : ""}`, {
        hint: `remove it or use one of: ${CONFIG_KEYS.join(", ")}`,
      });
    }
    merged[key] = value;
    sources[key] = "file";
    origin.set(key, `${file}${line ? ` line ${line}` : ""}`);
    checkValue(key, value, origin);
  }

  for (const [name, raw] of Object.entries(options.env)) {
    if (raw === undefined || raw === "") continue;
    if (name === "DATABASE_URL") {
      merged.databaseUrl = raw;
      sources.databaseUrl = "env";
      origin.set("databaseUrl", "environment variable DATABASE_URL");
      checkValue("databaseUrl", raw, origin);
      continue;
    }
    if (!name.startsWith("KAPPA_") || IGNORED_ENV.has(name)) continue;
    const key = CONFIG_KEYS.find((k) => envNameFor(k) === name);
    if (!key) {
      throw new ConfigError(`unknown environment variable ${name}`, {
        hint: `unset it, or use one of: ${CONFIG_KEYS.filter((k) => k !== "databaseUrl").map(envNameFor).join(", ")}`,
      });
    }
    merged[key] = parseEnvValue(key, name, raw);
    sources[key] = "env";
    origin.set(key, `environment variable ${name}`);
    checkValue(key, merged[key], origin);
  }

  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value === undefined) continue;
    if (!isConfigKey(key)) throw new ConfigError(`unknown option "${key}"`, { hint: "see `kappa --help`" });
    merged[key] = value;
    sources[key] = "flag";
    origin.set(key, `command-line option ${FLAG_NAMES[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`}`);
  }

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw toConfigError(parsed.error, origin);
  return { config: parsed.data, sources, file };
}

/** Environment variables that start with KAPPA_ but are not configuration keys. */
/** Variables kappa sets for task sessions, and the test and benchmark switches: not configuration. */
const IGNORED_ENV = new Set(["KAPPA_TEST_DATABASE_URL", "KAPPA_PORT_BASE", "KAPPA_PORT_COUNT", "KAPPA_PORT", "KAPPA_TASK_ID", "KAPPA_RUN_ID", "KAPPA_WORKTREE", "KAPPA_BENCH_FAST", "KAPPA_BENCH_PROFILE"]);

/**
 * Checks one source's value on its own, so that a bad value in the file or the environment is reported even
 * when a higher source (a flag, a variable) overrides it: the user would otherwise meet it later, elsewhere.
 */
function checkValue(key: ConfigKey, value: unknown, origin: Map<string, string>): void {
  const parsed = configSchema.shape[key].safeParse(value);
  if (!parsed.success) throw toConfigError(parsed.error, origin, key);
}

function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as string[]).includes(key);
}

function parseEnvValue(key: ConfigKey, name: string, raw: string): unknown {
  if (BOOLEAN_KEYS.has(key)) {
    const v = raw.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(v)) return true;
    if (["0", "false", "no", "off"].includes(v)) return false;
    throw new ConfigError(`${name}="${raw}" is not a boolean`, { hint: `set ${name} to true or false` });
  }
  if (JSON_KEYS.has(key)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch (cause) {
      throw new ConfigError(`${name} is not valid JSON`, { hint: `set ${name} to a JSON array, e.g. ${name}='[...]', or put "${key}" in ${CONFIG_FILE}`, cause });
    }
  }
  if (LIST_KEYS.has(key)) {
    if (raw.trim().startsWith("[")) {
      try {
        return JSON.parse(raw) as unknown;
      } catch (cause) {
        throw new ConfigError(`${name} is not a valid JSON list`, { hint: `use a comma-separated list or a JSON array of strings`, cause });
      }
    }
    return raw.split(",").map((s) => s.trim()).filter(Boolean);
  }
  return raw;
}

function readConfigFile(file: string): Record<string, { value: unknown; line: number | undefined }> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${file}`, { hint: "check its permissions", cause: error });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? ` line ${line}` : ""} is not valid YAML: ${firstError.message.split("\n")[0] ?? ""}`, {
      hint: "fix the YAML syntax (indentation, quotes, colons)",
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: yamlAliasLimit() });
  } catch (cause) {
    if (!(cause instanceof ReferenceError)) throw new ConfigError(`${file} cannot be read as YAML: ${(cause as Error).message}`, { hint: "fix the YAML there", cause });
    throw new ConfigError(`${file} uses more than ${MAX_YAML_ALIASES} YAML aliases (*name), which kappa refuses`, {
      hint: "write the values out instead of repeating them with anchors (&name) and aliases (*name)",
      cause,
    });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${file} must be a mapping of keys to values`, { hint: "write `key: value` lines, e.g. `maxParallelSessions: 4`" });
  }
  const out: Record<string, { value: unknown; line: number | undefined }> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    out[key] = { value: v, line };
  }
  return out;
}

function toConfigError(error: z.ZodError, origin: Map<string, string>, parent?: ConfigKey): ConfigError {
  const issue = error.issues[0];
  const issuePath = [...(parent === undefined ? [] : [parent]), ...(issue?.path ?? [])].map(String);
  const key = issuePath[0] ?? "";
  const where = origin.get(key) ?? "defaults";
  const path = issuePath.join(".");
  const envName = isConfigKey(key) ? envNameFor(key) : key;
  return new ConfigError(`invalid value for "${path}" (from ${where}): ${issue?.message ?? "invalid"}`, {
    hint: `fix it there; ${key} may also be set with ${envName} or in ${CONFIG_FILE}`,
  });
}

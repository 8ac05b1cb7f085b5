/**
 * kappa's configuration: one zod schema, every key documented with its default.
 * Sources, highest first: CLI flags > environment (`KAPPA_<KEY>` in SCREAMING_SNAKE_CASE, plus `DATABASE_URL`)
 * > the project file `.kappa/config.yaml` > these defaults.
 */
import { isAbsolute, normalize, sep } from "node:path";
import { z } from "zod";

/** A relative path that stays inside the project once normalised (`a/../.env` is fine, `../x` and `/etc/x` are not). */
function isInsideProject(path: string): boolean {
  const rel = normalize(path);
  return !isAbsolute(rel) && rel !== "." && rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.includes("\0");
}

/** Numbers come from YAML as numbers and from the environment as strings; `true`, `null` or "" are not numbers. */
const toNumber = (v: unknown): unknown => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);
const number = (schema: z.ZodNumber) => z.preprocess(toNumber, schema);
const wholeNumber = z.number({ message: "must be a number" }).int({ message: "must be a whole number" });
const positiveInt = (max?: number) => {
  const positive = wholeNumber.positive({ message: "must be greater than 0" });
  return number(max === undefined ? positive : positive.max(max, { message: `must be at most ${max}` }));
};

export const accountSchema = z.strictObject({
  /** A short name shown in logs and status. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: "account name must be 1-40 letters, digits, '.', '_' or '-'" }),
  /** Name of the environment variable that holds this account's API key (never the key itself). */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: "apiKeyEnv must be an environment variable name such as ANTHROPIC_API_KEY_2" }),
  /** Messages API base URL; @default the Anthropic API */
  baseUrl: z.url().optional(),
  /** Model for this account; @default the global `model` */
  model: z.string().min(1).optional(),
  /** Sessions at once on this account. @default 5 */
  maxConcurrent: positiveInt().default(5),
});
export type AccountConfig = z.infer<typeof accountSchema>;

export const STRATEGY_NAMES = ["merge", "structured", "newer", "agent", "manual"] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const VERSION_CONFLICT_RULES = ["integration", "higher", "manual"] as const;
export type VersionConflictRule = (typeof VERSION_CONFLICT_RULES)[number];

export const strategyRuleSchema = z.strictObject({
  /** A path glob (`*`, `**`, `?`) matched against the file path relative to the repository root. */
  glob: z.string().min(1),
  /** Strategies tried in order; `manual` always ends the chain. */
  strategies: z.array(z.enum(STRATEGY_NAMES)).min(1),
});
export type StrategyRule = z.infer<typeof strategyRuleSchema>;

export const configSchema = z.strictObject({
  /** Claude Code sessions running at once. @default 5 */
  maxParallelSessions: positiveInt(64).default(5),
  /** Hard limit for one session, in seconds. @default 3600 */
  sessionTimeout: positiveInt().default(3600),
  /** Abort a session that produced no event for this many seconds (watchdog). @default 300 */
  idleTimeout: positiveInt().default(300),
  /** pino level for the readable stderr log. @default "info" */
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).default("info"),
  /** Verbose diagnostics (stack traces, debug log). @default false */
  debug: z.boolean().default(false),
  /** A PostgreSQL URL. When unset kappa starts an embedded server with data under `.kappa/pg/`. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" }).optional(),
  /**
   * Seconds kappa waits for a lost PostgreSQL connection to come back (sessions keep running, starting and
   * merging pause) before it stops with an error; `kappa resume` continues. @default 60
   */
  dbReconnectTimeout: positiveInt().default(60),
  /** Model for sessions. @default "claude-sonnet-4-5" */
  model: z.string().min(1).default("claude-sonnet-4-5"),
  /** Retries of a failed session (so attempts = maxRetries + 1). @default 2 */
  maxRetries: number(wholeNumber.min(0, { message: "must be 0 or more" }).max(10, { message: "must be at most 10" })).default(2),
  /** First retry delay in milliseconds; doubled each attempt, with jitter. @default 2000 */
  retryBaseMs: number(wholeNumber.min(0, { message: "must be 0 or more" })).default(2000),
  /** Agent turns per session. @default 100 */
  maxTurns: positiveInt().default(100),
  /** Spending limit per session in USD. @default 5 */
  maxBudgetUsd: number(z.number({ message: "must be a number" }).positive({ message: "must be greater than 0" })).default(5),
  /** Which planner decomposes a spec: `auto` uses Claude when a key or the simulated model is available. @default "auto" */
  planner: z.enum(["auto", "heuristic", "claude"]).default("auto"),
  /** `dag` starts a task as soon as its dependencies are merged; `waves` waits for whole waves. @default "dag" */
  schedule: z.enum(["dag", "waves"]).default("dag"),
  /** Largest accepted specification, in bytes. @default 1000000 */
  specMaxBytes: positiveInt().default(1_000_000),
  /** Which agent runs tasks: `claude` (Agent SDK) or `command` (see commandTemplate). @default "claude" */
  driver: z.enum(["claude", "command"]).default("claude"),
  /** For driver `command`: a command line with `{prompt}`, `{taskId}`, `{worktree}` placeholders. */
  commandTemplate: z.string().min(1).optional(),
  /** Shell command run in every new task worktree before its session (e.g. `npm ci`). */
  setupCommand: z.string().min(1).optional(),
  /** Verification gate: the project's test command, run on the integration branch after each merge. */
  testCommand: z.string().min(1).optional(),
  /** Gate timeout in seconds. @default 600 */
  testTimeout: positiveInt().default(600),
  /** Untracked files copied from the project into every task worktree (e.g. `.env`). @default [] */
  copyFiles: z.array(z.string().min(1).refine(isInsideProject, { message: "must be a path inside the project, relative to its root (such as .env)" })).default([]),
  /**
   * Environment variables passed to task sessions besides PATH, HOME, LANG, LC_*, TERM, TMPDIR and the task's own
   * (e.g. `HTTPS_PROXY`, or the key a command agent needs). Nothing else of kappa's environment reaches a session.
   * @default []
   */
  passEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "passEnv entries must be environment variable names such as HTTPS_PROXY" })).default([]),
  /**
   * Domains a sandboxed session's commands may reach; empty = the network is open. The command driver's sandbox
   * (bwrap) cannot filter by domain: with a list it has no network at all. @default []
   */
  networkAllowlist: z.array(z.string().min(1)).default([]),
  /**
   * Globs of secret files never put into a task's commit (reported as `commit:excluded`, left in the worktree). An
   * `.npmrc` holding a token and an agent's half-written temp files (`x.md.tmp.<pid>.<hex>`) are always kept out.
   * @default [".env*", "*.pem", "*.key", "id_rsa*"]
   */
  neverCommit: z.array(z.string().min(1)).default([".env*", "*.pem", "*.key", "id_rsa*"]),
  /** First port handed to tasks; task k gets `taskPortBase + k * portsPerTask`. @default 41000 */
  taskPortBase: positiveInt(65000).default(41000),
  /** Ports reserved per task. @default 10 */
  portsPerTask: positiveInt(1000).default(10),
  /** Bash commands the sessions may not run (substring match after whitespace normalisation). */
  dangerousCommands: z.array(z.string().min(1)).default(["rm -rf /", "git push", "git reset --hard", "sudo ", "curl ", "wget "]),
  /** Several accounts or endpoints to spread sessions over. @default [] (one account from ANTHROPIC_API_KEY) */
  accounts: z.array(accountSchema).default([]),
  /** Conflict strategy chains per path glob; the first matching rule wins. */
  conflictStrategies: z.array(strategyRuleSchema).default([{ glob: "**", strategies: ["merge", "structured", "manual"] }]),
  /**
   * package.json `version` changed differently on both sides: `integration` keeps the integration branch's
   * value, `higher` the higher version, `manual` leaves it to a person. @default "higher" (the human's choice in
   * 28 of 28 such conflicts of the merge corpus; `integration` in 27 of 28)
   */
  versionConflict: z.enum(VERSION_CONFLICT_RULES).default("higher"),
  /** Times a task is retried after its merge fails the verification gate. @default 1 */
  gateRetries: number(wholeNumber.min(0, { message: "must be 0 or more" }).max(5, { message: "must be at most 5" })).default(1),
  /** Run against the simulated model: `default` or a scenario file. Unset = the real API. */
  simulate: z.string().min(1).optional(),
});

export type KappaConfig = z.infer<typeof configSchema>;
export type ConfigKey = keyof KappaConfig;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];

/** Environment variable for a key: `maxParallelSessions` → `KAPPA_MAX_PARALLEL_SESSIONS`. */
export function envNameFor(key: ConfigKey): string {
  if (key === "databaseUrl") return "DATABASE_URL";
  return `KAPPA_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/**
 * What every command needs, resolved once: project directory, configuration, logger, event bus, secrets
 * scrubber, and a lazily opened database.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  EventBus,
  Scrubber,
  createLogger,
  loadConfig,
  processEnvironment,
  projectPaths,
  secretValues,
  type ConfigKey,
  type Environment,
  type KappaConfig,
  type Logger,
  type ProjectPaths,
} from "../core/index.js";
import { openDatabase, type Database } from "../knowledge/index.js";

export interface GlobalOptions {
  project?: string;
  json?: boolean;
}

export interface CliContext {
  paths: ProjectPaths;
  config: KappaConfig;
  env: Environment;
  logger: Logger;
  bus: EventBus;
  scrubber: Scrubber;
  json: boolean;
  /** Colours on stdout (TTY and NO_COLOR unset). */
  color: boolean;
  /** kappa's JSON log for this command, when the project has a `.kappa/` to hold it. */
  logFile: string | undefined;
  /** Opens (once) and returns the database. */
  db(): Promise<Database>;
  close(): Promise<void>;
}

export function createContext(global: GlobalOptions, flags: Partial<Record<ConfigKey, unknown>> = {}, env: Environment = processEnvironment()): CliContext {
  const root = resolve(global.project ?? ".");
  const paths = projectPaths(root);
  const { config } = loadConfig({ projectDir: root, flags, env });
  const scrubber = new Scrubber(secretValues(env));
  const color = Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined;
  const json = global.json === true;
  const logDir = existsSync(paths.kappaDir) ? paths.logsDir : undefined;
  const logger = createLogger({
    level: config.debug ? "debug" : config.logLevel,
    logDir,
    stderr: true,
    color: Boolean(process.stderr.isTTY) && env.NO_COLOR === undefined,
    scrubber,
  });
  let database: Promise<Database> | undefined;
  return {
    paths,
    config,
    env,
    logger,
    bus: new EventBus(),
    scrubber,
    json,
    color,
    logFile: logDir === undefined ? undefined : join(logDir, "kappa.log"),
    db() {
      database ??= openDatabase({ databaseUrl: config.databaseUrl, pgDir: paths.pgDir, logger, reconnectTimeoutMs: config.dbReconnectTimeout * 1000 });
      return database;
    },
    async close() {
      if (database) await (await database.catch(() => undefined))?.close();
    },
  };
}

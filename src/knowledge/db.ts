/**
 * Connection to kappa's PostgreSQL: `databaseUrl` when configured (SSL per the URL's `sslmode`), else the
 * embedded server under `.kappa/pg/`. Migrations run on open.
 */
import pg from "pg";
import { DatabaseError, type Logger } from "../core/index.js";
import { startEmbedded, type EmbeddedServer } from "./embedded.js";
import { migrate } from "./migrate.js";
import { guardPool, isConnectionError, OutageGuard } from "./outage.js";

export interface Database {
  pool: pg.Pool;
  /** Connection URL without the password, for messages. */
  displayUrl: string;
  /** Full URL (contains the password): never log it. */
  url: string;
  schema: string | undefined;
  embedded: EmbeddedServer | undefined;
  /** Database outages: queries wait for a lost connection to come back (see outage.ts). */
  outage: OutageGuard;
  /** A connection that bypasses the outage guard (for locks held on a dedicated connection). */
  connectDirect(): Promise<pg.PoolClient>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory for the embedded server, used when `databaseUrl` is unset. */
  pgDir: string;
  /** Schema for all of kappa's tables (tests use one per test). @default the URL's search_path, else public */
  schema?: string | undefined;
  logger: Logger;
  /** Apply pending migrations. @default true */
  migrate?: boolean;
  /** Pool size. @default 10 */
  max?: number;
  /** How long queries wait for a lost connection to come back before failing, in ms. @default 60000 */
  reconnectTimeoutMs?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DatabaseError(`invalid schema name "${schema}"`, { hint: "use lowercase letters, digits and '_'" });
  }
  const embedded = options.databaseUrl ? undefined : await startEmbedded(options.pgDir, options.logger);
  const url = options.databaseUrl ?? embedded?.url ?? "";
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    application_name: "kappa",
  });
  // An idle client's error (server restart, network) would otherwise crash the process.
  let closing = false;
  pool.on("error", (error) => {
    // While closing (or when the embedded server stops under us) a dropped idle connection is expected.
    if (closing) options.logger.debug({ err: error }, "database connection closed");
    else options.logger.debug({ err: error }, "an idle database connection was lost");
  });
  const displayUrl = redactUrl(url);
  let currentSchema: string | undefined;
  try {
    const client = await pool.connect();
    try {
      // IF NOT EXISTS is not atomic: a process creating the same schema at the same moment makes it fail.
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(ignoreCode("23505", "42P06"));
      // A URL may choose the schema itself (`?options=-c search_path=…`): everything else follows it.
      currentSchema = (await client.query<{ s: string | null }>("SELECT current_schema() AS s")).rows[0]?.s ?? undefined;
    } finally {
      client.release();
    }
    if (options.migrate !== false) await migrate(pool);
    // From here on a lost connection is waited out (up to reconnectTimeoutMs), not a crash.
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`cannot connect to PostgreSQL at ${displayUrl}: ${(error as Error).message}`, {
      hint: options.databaseUrl
        ? "check DATABASE_URL (host, port, user, password, database) and that the server is running; unset it to use the embedded server"
        : "the embedded server started but refused the connection; remove .kappa/pg to recreate it (its data will be lost)",
      cause: error,
    });
  }
  const outage = new OutageGuard({
    displayUrl,
    logger: options.logger,
    timeoutMs: options.reconnectTimeoutMs ?? 60_000,
    probe: async () => {
      await raw.query("SELECT 1");
    },
  });
  const raw = guardPool(pool, outage);
  pool.on("error", (error) => {
    if (!closing && isConnectionError(error)) outage.noticeLost(error);
  });
  let closed = false;
  return {
    pool,
    outage,
    connectDirect: () => raw.connect(),
    url,
    displayUrl,
    schema: currentSchema,
    embedded,
    async close() {
      if (closed) return;
      closed = true;
      closing = true;
      await pool.end().catch(() => undefined);
      await embedded?.stop().catch(() => undefined);
    },
  };
}

/** A rejection handler that swallows PostgreSQL errors with one of `codes` (SQLSTATE) and rethrows others. */
function ignoreCode(...codes: string[]): (error: unknown) => undefined {
  return (error) => {
    if (codes.includes((error as { code?: string }).code ?? "")) return undefined;
    throw error;
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid database URL)";
  }
}

/** Server version string such as "PostgreSQL 15.19". */
export async function serverVersion(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ server_version: string }>("SHOW server_version");
  return `PostgreSQL ${rows[0]?.server_version ?? "unknown"}`;
}

/**
 * The default database: an embedded PostgreSQL server with its data under `.kappa/pg/` (as root, possibly kept
 * elsewhere: see cluster-location.ts). A server already
 * running there (another kappa command, or one left by a process that was killed) is found through
 * `postmaster.pid` and shared. Every kappa process using it holds a shared advisory lock on a connection of its
 * own; the last one to leave stops the server, whoever started it. Joining and leaving take the same start
 * lock, so a process never joins a server that is being stopped.
 */
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, existsSync, openSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { execFileSync, spawn } from "node:child_process";
import pg from "pg";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseError, sleep, type Logger } from "../core/index.js";
import { currentDataDir, placeDataDir } from "./cluster-location.js";
import { firstBlockedParent, postgresBinDir, type RunAs } from "./postgres-binaries.js";

export interface EmbeddedServer {
  url: string;
  port: number;
  /** True when this process started the server. */
  owned: boolean;
  /** The server's data directory (for messages: "where is my data"). */
  dataDir: string;
  /** Leaves the server: stops it when no other kappa process uses it, else leaves it running for them. */
  stop(): Promise<void>;
}

const USER = "kappa";

export interface StartEmbeddedOptions {
  /** Port for a server this call starts. @default a free port */
  port?: number;
}

export async function startEmbedded(pgDir: string, logger: Logger, options: StartEmbeddedOptions = {}): Promise<EmbeddedServer> {
  mkdirSync(pgDir, { recursive: true });
  const password = readOrCreatePassword(pgDir);
  const release = await acquireStartLock(pgDir);
  try {
    let dataDir = currentDataDir(pgDir);
    let port = liveServerPort(dataDir);
    const owned = port === undefined;
    if (port !== undefined) {
      logger.debug({ port }, "sharing the embedded PostgreSQL server already running on .kappa/pg");
    } else {
      const runAs = systemUserForRoot();
      port = options.port ?? (await freePort());
      dataDir = placeDataDir(pgDir, runAs);
      const blocked = firstBlockedParent(runAs, dataDir);
      if (blocked) {
        throw new DatabaseError(`the embedded PostgreSQL server runs as the 'postgres' system user, who cannot enter ${blocked}`, {
          hint: `let the 'postgres' system user enter it (chmod o+x ${blocked}), run kappa as a normal user, or set DATABASE_URL`,
        });
      }
      const bin = postgresBinDir(runAs);
      if (!existsSync(join(dataDir, "PG_VERSION"))) {
        await initdb(bin, dataDir, password, runAs, pgDir);
        logger.debug({ dataDir }, "created the embedded PostgreSQL data directory");
      }
      await launch(bin, dataDir, port, password, runAs, pgDir);
    }
    const url = urlFor(port, password);
    const presence = await joinServer(url, dataDir, owned);
    let left = false;
    return {
      url,
      port,
      owned,
      dataDir,
      stop: async () => {
        if (left) return;
        left = true;
        await leave(pgDir, dataDir, presence, logger);
      },
    };
  } finally {
    release();
  }
}

/** Advisory lock key of "a kappa process uses this server" (shared) and "nobody else does" (exclusive). */
const PRESENCE_LOCK = "hashtext('kappa-embedded'), 0";

/** Connects and announces this process as a user of the server, until it leaves. */
async function joinServer(url: string, dataDir: string, owned: boolean): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "kappa (embedded server user)" });
  client.on("error", () => undefined); // the server stopping under us is seen at the next query
  try {
    await client.connect();
    await client.query(`SELECT pg_advisory_lock_shared(${PRESENCE_LOCK})`);
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if (owned) await shutdown(dataDir);
    throw new DatabaseError(`cannot connect to the embedded PostgreSQL server: ${(error as Error).message}`, {
      hint: "remove .kappa/pg/data/postmaster.pid if no PostgreSQL process runs, or set DATABASE_URL to use another server",
      cause: error,
    });
  }
}

async function leave(pgDir: string, dataDir: string, presence: pg.Client, logger: Logger): Promise<void> {
  const release = await acquireStartLock(pgDir);
  try {
    let alone = false;
    try {
      await presence.query(`SELECT pg_advisory_unlock_shared(${PRESENCE_LOCK})`);
      alone = (await presence.query<{ alone: boolean }>(`SELECT pg_try_advisory_lock(${PRESENCE_LOCK}) AS alone`)).rows[0]?.alone === true;
    } catch (error) {
      logger.debug({ err: error }, "the embedded PostgreSQL server went away before kappa left it");
    }
    await presence.end().catch(() => undefined);
    if (alone) await shutdown(dataDir);
    else logger.debug("leaving the embedded PostgreSQL server running: another kappa process uses it");
  } finally {
    release();
  }
}

/** Fast shutdown of the server on `dataDir` (clean: no recovery at the next start); waits until it is gone. */
async function shutdown(dataDir: string): Promise<void> {
  const pid = liveServer(dataDir)?.pid;
  if (pid === undefined) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
}

function urlFor(port: number, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function readOrCreatePassword(pgDir: string): string {
  const file = join(pgDir, "password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The port of a live server on `dataDir`, from its postmaster.pid, or undefined. */
export function liveServerPort(dataDir: string): number | undefined {
  return liveServer(dataDir)?.port;
}

/** The postmaster's pid and port from `dataDir`'s postmaster.pid, when that process is alive. */
function liveServer(dataDir: string): { pid: number; port: number } | undefined {
  const lines = safeRead(join(dataDir, "postmaster.pid")).split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  return alive(pid) ? { pid, port } : undefined;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user. */
function systemUserForRoot(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number.parseInt(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }), 10);
    const gid = Number.parseInt(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }), 10);
    return { uid, gid };
  } catch (cause) {
    throw new DatabaseError("kappa is running as root and there is no 'postgres' system user for the embedded PostgreSQL server", {
      hint: "PostgreSQL refuses to run as root: run kappa as a normal user, create the user (`useradd --system postgres`), or set DATABASE_URL to an existing server",
      cause,
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A cross-process lock (exclusive create of a lock file), stale after its holder died. */
async function acquireStartLock(pgDir: string): Promise<() => void> {
  const file = join(pgDir, "start.lock");
  for (let i = 0; i < 600; i++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch {
      const holder = Number.parseInt(safeRead(file), 10);
      const stale = !Number.isInteger(holder) || !alive(holder) || Date.now() - safeMtime(file) > 120_000;
      if (stale) rmSync(file, { force: true });
      else await sleep(100);
    }
  }
  throw new DatabaseError("timed out waiting for another kappa process to start the embedded database", {
    hint: `if no other kappa is running, delete ${file}`,
  });
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}



function runProcess(file: string, args: string[], runAs: RunAs, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(runAs ?? {}), stdio: ["ignore", "pipe", "pipe"], env: { LC_ALL: "C", LANG: "C", PATH: "/usr/bin:/bin" } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      writeFileSync(logFile, output, { flag: "a" });
      if (code === 0) resolve();
      else reject(new Error(`${file} exited with ${code}: ${output.trim().split("\n").slice(-3).join(" ")}`));
    });
  });
}

async function initdb(bin: string, dataDir: string, password: string, runAs: RunAs, pgDir: string): Promise<void> {
  // A data directory without PG_VERSION is what a crashed first start leaves: start over.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const pwfile = join(dirname(dataDir), "initdb.pw"); // readable by the server's user, unlike a private pgDir
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    await runProcess(join(bin, "initdb"), [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--no-sync"], runAs, join(pgDir, "initdb.log"));
  } catch (error) {
    throw new DatabaseError("could not create the embedded PostgreSQL data directory", {
      hint: `see ${join(pgDir, "initdb.log")}; check that ${pgDir} is writable${runAs ? " by the 'postgres' system user (every parent directory must be traversable by it)" : ""}, or set DATABASE_URL to use another server`,
      cause: error,
    });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts `postgres` detached in its own process group, so that a Ctrl-C in kappa's terminal does not stop the
 * database under a run that is finishing its sessions.
 */
async function launch(bin: string, dataDir: string, port: number, password: string, runAs: RunAs, pgDir: string): Promise<void> {
  const logFile = join(pgDir, "server.log");
  const logFd = openSync(logFile, "a");
  if (runAs) chownSync(logFile, runAs.uid, runAs.gid);
  const child = spawn(join(bin, "postgres"), ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], {
    ...(runAs ?? {}),
    detached: true,
    stdio: ["ignore", logFd, logFd],
    env: { LC_ALL: "C", LANG: "C", PATH: "/usr/bin:/bin" },
  });
  closeSync(logFd);
  let exited = false;
  child.on("exit", () => (exited = true));
  const lastLog = (): string => safeRead(logFile).trim().split("\n").slice(-2).join(" ");
  const url = urlFor(port, password);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      throw new DatabaseError("the embedded PostgreSQL server did not start", {
        hint: `see ${logFile} (${lastLog()}); or set DATABASE_URL to use another server`,
      });
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill("SIGINT");
        throw new DatabaseError("the embedded PostgreSQL server did not accept connections within 60 s", { hint: `see ${logFile}` });
      }
      await sleep(50);
    }
  }
  child.unref(); // reaped when it exits (see shutdown), without keeping kappa alive
}

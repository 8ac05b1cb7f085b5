/** Runs the real CLI (`npx tsx src/cli/main.ts …`) in a child process with a clean environment. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { TEST_DATABASE_URL, uniqueSchema } from "../../helpers/db.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface KappaResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment without anything that configures kappa or carries an API key. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name === "DATABASE_URL" || name.startsWith("KAPPA_") || name.startsWith("ANTHROPIC_")) continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

export function runKappa(args: string[], env: Record<string, string>): Promise<KappaResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "src/cli/main.ts", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A fresh schema on the test server and a DATABASE_URL whose connections use it, so that CLI runs of parallel
 * tests never share tables. Call `drop()` afterwards.
 */
export async function schemaUrl(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = uniqueSchema("cli");
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { url: url.toString(), schema, drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined) };
}

export async function adminQuery<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

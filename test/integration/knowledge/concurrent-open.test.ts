import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations } from "../../../src/knowledge/index.js";
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from "../../helpers/db.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/open-database.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const schemas: string[] = [];
afterEach(async () => {
  for (const s of schemas.splice(0)) await dropSchema(s);
});

interface Outcome {
  code: number | null;
  result: { ok: boolean; error?: string } | undefined;
  stderr: string;
}

/** Starts a child that opens the database in `schema` at the instant given to `go()` (call it once ready). */
function childOpening(schema: string): { ready: Promise<void>; go(at: number): void; done: Promise<Outcome> } {
  const child = spawn("npx", ["tsx", FIXTURE, TEST_DATABASE_URL, schema], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    if (stdout.includes("ready\n")) markReady();
  });
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      markReady();
      const line = stdout.trim().split("\n").pop() ?? "";
      let result: Outcome["result"];
      try {
        result = JSON.parse(line) as Outcome["result"];
      } catch {
        result = undefined;
      }
      resolve({ code, result, stderr });
    });
  });
  return { ready, go: (at) => child.stdin.end(`${at}\n`), done };
}

describe("two kappa processes starting together on a fresh database", () => {
  it("both succeed and every migration is applied exactly once", async () => {
    const expected = loadMigrations().map((m) => m.version);
    for (let round = 0; round < 3; round++) {
      const schema = uniqueSchema("race");
      schemas.push(schema);
      const children = [childOpening(schema), childOpening(schema)];
      await Promise.all(children.map((c) => c.ready));
      const at = Date.now() + 200;
      for (const c of children) c.go(at);
      const [a, b] = await Promise.all(children.map((c) => c.done));
      expect(a?.result, a?.stderr).toEqual({ ok: true });
      expect(b?.result, b?.stderr).toEqual({ ok: true });
      expect([a?.code, b?.code]).toEqual([0, 0]);

      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number; n: string }>(`SELECT version, count(*) AS n FROM ${schema}.kappa_migrations GROUP BY version ORDER BY version`);
        expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(expected.map((v) => [v, 1]));
      } finally {
        await client.end();
      }
    }
  });
});

/**
 * The command driver under bwrap (real processes, real git): the same escape commands succeed without the
 * sandbox and are refused with it, while the task's own directory stays writable and the network stays open.
 */
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { processEnvironment, type PlannedTask } from "../../../src/core/index.js";
import { CommandDriver, type SandboxPolicy } from "../../../src/sessions/index.js";
import { gitIn, tempDir, tempRepo } from "../../helpers/git.js";

const cleanups: (() => void)[] = [];
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const c of cleanups) c();
});

const task: PlannedTask = { id: "escape", title: "Escape", prompt: "Try to get out.", category: "logic", complexity: 1, priority: "P1", estimateMinutes: 1, dependsOn: [], files: [], acceptance: [], requirements: [] };

async function attempt(sandbox: SandboxPolicy | undefined) {
  const user = tempRepo({ "README.md": "# mine\n", "src/a.ts": "export const a = 1;\n" });
  const outside = tempDir();
  const worktree = tempRepo();
  const sessions = tempDir();
  cleanups.push(() => user.cleanup(), () => outside.cleanup(), () => worktree.cleanup(), () => sessions.cleanup());
  // The user's work in progress: an unstaged edit, a staged change, an untracked file.
  writeFileSync(join(user.dir, "README.md"), "# mine, editing\n");
  writeFileSync(join(user.dir, "src/a.ts"), "export const a = 2;\n");
  gitIn(user.dir, "add", "src/a.ts");
  writeFileSync(join(user.dir, "notes.txt"), "untracked\n");
  const before = { status: gitIn(user.dir, "status", "--porcelain"), refs: gitIn(user.dir, "for-each-ref"), head: gitIn(user.dir, "symbolic-ref", "HEAD"), readme: readFileSync(join(user.dir, "README.md"), "utf8") };
  const script = [
    `echo x > ${join(outside.dir, "escape.txt")}`,
    `git -C ${user.dir} reset -q --hard`,
    `git -C ${user.dir} checkout -q -b hijacked`,
    `git -C ${user.dir} update-ref refs/heads/main HEAD~0`,
    `echo inside > inside.txt`,
    `curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}/ > net.txt`,
    `echo "$HOME" > home.txt`,
    "true",
  ].join("; ");
  const driver = new CommandDriver({ template: script, env: processEnvironment(), sandbox, sessionsDir: sessions.dir, killGraceMs: 200 });
  const result = await driver.run(task, { dir: worktree.dir, env: {} }, { signal: new AbortController().signal, onEvent: () => undefined, account: { name: "c", apiKey: undefined, baseUrl: undefined, model: "m", simulated: false }, maxTurns: 1, maxBudgetUsd: 1 });
  const after = { status: gitIn(user.dir, "status", "--porcelain"), refs: gitIn(user.dir, "for-each-ref"), head: gitIn(user.dir, "symbolic-ref", "HEAD"), readme: readFileSync(join(user.dir, "README.md"), "utf8") };
  return { result, before, after, escaped: existsSync(join(outside.dir, "escape.txt")), dir: worktree.dir, sessions: sessions.dir };
}

test("without the sandbox the escapes reach the user's checkout and other directories", async () => {
  const open = await attempt(undefined);
  expect(open.result.status).toBe("completed");
  expect(open.escaped).toBe(true);
  expect(open.after.head).toBe("refs/heads/hijacked");
  expect(open.after.readme).toBe("# mine\n");
});

test("under bwrap the same escapes are refused: the user's checkout stays as it was, the task's directory and the network work", async () => {
  const boxed = await attempt({ allowedDomains: [] });
  expect(boxed.result.status).toBe("completed");
  expect(boxed.escaped).toBe(false);
  expect(boxed.after).toEqual(boxed.before);
  expect(readFileSync(join(boxed.dir, "inside.txt"), "utf8")).toBe("inside\n");
  expect(readFileSync(join(boxed.dir, "net.txt"), "utf8")).toBe("200");
  expect(readFileSync(join(boxed.dir, "home.txt"), "utf8").trim()).toBe(join(boxed.sessions, "escape", "home"));
});

test("with a network allowlist the command driver's sandbox has no network at all (bwrap cannot filter by domain)", async () => {
  const listed = await attempt({ allowedDomains: ["registry.npmjs.org"] });
  expect(listed.escaped).toBe(false);
  expect(readFileSync(join(listed.dir, "net.txt"), "utf8")).toBe("000");
});

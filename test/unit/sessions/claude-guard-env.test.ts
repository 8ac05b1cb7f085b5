import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { buildClaudeEnv, prepareSessionDirs } from "../../../src/sessions/claude-env.js";
import { buildPrompt } from "../../../src/sessions/claude-prompt.js";
import { checkToolUse } from "../../../src/sessions/tool-guard.js";

const root = mkdtempSync(join(tmpdir(), "kappa-guard-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tree = join(root, "tree");
const dangerous = ["git push", "sudo ", "rm -rf /"];

test("writes inside the worktree are allowed; outside, through '..' or a symlink, and into .git are denied", () => {
  expect(checkToolUse("Write", { file_path: join(tree, "src/a.ts") }, tree, dangerous).allow).toBe(true);
  expect(checkToolUse("Edit", { file_path: "src/a.ts" }, tree, dangerous).allow).toBe(true);
  expect(checkToolUse("Write", { file_path: "/etc/passwd" }, tree, dangerous).allow).toBe(false);
  expect(checkToolUse("MultiEdit", { file_path: join(tree, "../other/a.ts") }, tree, dangerous).allow).toBe(false);
  expect(checkToolUse("Write", { file_path: join(tree, ".git/config") }, tree, dangerous).allow).toBe(false);
  expect(checkToolUse("NotebookEdit", { notebook_path: "/tmp/n.ipynb" }, tree, dangerous).allow).toBe(false);
  const linkTree = join(root, "linked");
  mkdirSync(linkTree, { recursive: true });
  symlinkSync(root, join(linkTree, "escape"));
  expect(checkToolUse("Write", { file_path: join(linkTree, "escape/x.txt") }, linkTree, dangerous).allow).toBe(false);
});

test("dangerous commands are denied whatever their spacing; others run", () => {
  expect(checkToolUse("Bash", { command: "git   push origin main" }, tree, dangerous)).toMatchObject({ allow: false, reason: expect.stringContaining("git push") });
  expect(checkToolUse("Bash", { command: "echo ok && sudo  ls" }, tree, dangerous).allow).toBe(false);
  expect(checkToolUse("Bash", { command: "git status" }, tree, dangerous).allow).toBe(true);
  expect(checkToolUse("Read", { file_path: "/etc/hosts" }, tree, dangerous).allow).toBe(true);
});

test("a session's environment holds only the allowlist, passEnv names, the workspace's variables, and the key from the account", () => {
  const dirs = prepareSessionDirs(root, "task-a");
  const env = buildClaudeEnv({
    env: { PATH: "/bin", HOME: "/root", AWS_SECRET_ACCESS_KEY: "leak", ANTHROPIC_API_KEY: "from-shell", DATABASE_URL: "postgres://x", HTTPS_PROXY: "http://p:3128", LC_ALL: "C", NPM_TOKEN: "npm-tok" },
    account: { name: "a", apiKey: "sk-account", baseUrl: "http://127.0.0.1:9999", model: "m", simulated: true },
    dirs,
    workspaceEnv: { PORT: "41000", ANTHROPIC_API_KEY: "from-workspace" },
    passEnv: ["NPM_TOKEN"],
    isRoot: true,
  });
  expect(env.LC_ALL).toBe("C");
  expect(env.NPM_TOKEN).toBe("npm-tok");
  expect(env.HTTPS_PROXY).toBeUndefined();
  expect(env).toMatchObject({ PATH: "/bin", PORT: "41000", HOME: dirs.home, CLAUDE_CONFIG_DIR: dirs.configDir, GIT_CONFIG_GLOBAL: dirs.gitConfig, ANTHROPIC_API_KEY: "sk-account", ANTHROPIC_BASE_URL: "http://127.0.0.1:9999", IS_SANDBOX: "1", CLAUDE_CODE_MAX_RETRIES: "1" });
  expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  expect(env.DATABASE_URL).toBeUndefined();
});

test("the prompt carries the task id line, title, criteria, files, conventions and feedback", () => {
  const prompt = buildPrompt({
    task: { id: "api", title: "The API", prompt: "Build it.", category: "api", complexity: 2, priority: "P1", estimateMinutes: 5, dependsOn: [], files: ["src/api.ts"], acceptance: ["GET /health returns 200"], requirements: [] },
    conventions: "Use tabs.",
    feedback: "The tests failed: x",
  });
  expect(prompt.split("\n")).toContain("Task id: api");
  for (const part of ["The API", "Build it.", "- GET /health returns 200", "- src/api.ts", "Use tabs.", "The tests failed: x"]) expect(prompt).toContain(part);
});

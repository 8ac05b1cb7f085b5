/** `kappa simulate` runs the simulated model in the foreground, says so, and stops cleanly on Ctrl-C. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { tempDir } from "../../helpers/git.js";

const ROOT = join(import.meta.dirname, "../../..");

test("kappa simulate prints its URL with the 'simulated model' label, answers requests, and stops on Ctrl-C", async () => {
  const dir = tempDir(); // not a kappa project: the command needs no database
  try {
    const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "-C", dir.dir, "simulate", "--port", "0"], { cwd: dir.dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    for (let waited = 0; !/Ctrl-C/.test(out) && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const url = /simulated model listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url, `stdout: ${out}\nstderr: ${err}`).toBeDefined();
    expect(out).toContain(`ANTHROPIC_BASE_URL=${url}`);
    const response = await fetch(`${url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Task id: demo\nHello" }], tools: [{ name: "Write" }] }),
    });
    const message = (await response.json()) as { content: { type: string; name?: string }[] };
    expect(message.content.some((b) => b.type === "tool_use" && b.name === "Write")).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped: 1 requests answered by the simulated model/);
  } finally {
    dir.cleanup();
  }
});

test("kappa simulate with a bad scenario names the file and line, and exits with 2", async () => {
  const dir = tempDir();
  try {
    const scenario = join(dir.dir, "bad.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(scenario, "version: 1\ntasks:\n  - match: { taskId: a }\n    fault: { type: explode }\n");
    const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "-C", dir.dir, "simulate", "--scenario", scenario], { cwd: dir.dir, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain(`${scenario}:4: tasks[0].fault.type`);
  } finally {
    dir.cleanup();
  }
});

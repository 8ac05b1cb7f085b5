import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn, tempRepo } from "../../helpers/git.js";
import { runGate } from "../../../src/conflict/index.js";

let repo: ReturnType<typeof tempRepo>;
afterEach(() => repo.cleanup());
const signal = AbortSignal.timeout(60_000);

describe("the verification gate", () => {
  it("passes when the test command succeeds on the merge commit, in a worktree removed afterwards", async () => {
    repo = tempRepo({ "ok.sh": "test -f ok.sh && echo all good\n" });
    const commit = gitIn(repo.dir, "rev-parse", "HEAD");
    const r = await runGate({ repo: repo.dir, commit, command: "sh ok.sh && pwd >&2", timeoutMs: 20_000, signal });
    expect(r.ok).toBe(true);
    expect(r.output).toContain("all good");
    const worktree = r.output.trim().split("\n").pop() ?? "";
    expect(existsSync(worktree)).toBe(false);
    expect(gitIn(repo.dir, "worktree", "list")).not.toContain("kappa-gate");
  });

  it("fails with the tail of the output when the tests fail", async () => {
    repo = tempRepo();
    const r = await runGate({ repo: repo.dir, commit: "HEAD", command: "echo 'FAIL src/a.test.ts: expected 1'; exit 3", timeoutMs: 20_000, signal });
    expect(r).toMatchObject({ ok: false });
    expect(r.output).toContain("FAIL src/a.test.ts");
  });

  it("kills the whole process group when the tests run past the timeout", async () => {
    repo = tempRepo();
    const started = Date.now();
    const r = await runGate({ repo: repo.dir, commit: "HEAD", command: "sleep 30 & sleep 30; wait", timeoutMs: 500, signal });
    expect(r.ok).toBe(false);
    expect(r.output).toContain("timed out");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

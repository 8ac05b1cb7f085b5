import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/git.js";
import { killProcessesInside, processesInside } from "../../../src/workspace/index.js";

describe("agent processes left behind by a killed orchestrator", () => {
  let tmp: { dir: string; cleanup(): void } | undefined;
  afterEach(() => tmp?.cleanup());

  it("are found by their working directory inside a worktree and stopped, and nothing outside is touched", async () => {
    tmp = tempDir();
    const inside = join(tmp.dir, "worktrees", "run", "task", "src");
    const outside = join(tmp.dir, "elsewhere");
    mkdirSync(inside, { recursive: true });
    mkdirSync(outside, { recursive: true });
    const stray = spawn("sleep", ["30"], { cwd: inside, detached: true, stdio: "ignore" });
    const bystander = spawn("sleep", ["30"], { cwd: outside, detached: true, stdio: "ignore" });
    try {
      const strayExit = new Promise((resolve) => stray.on("exit", resolve));
      await new Promise((r) => setTimeout(r, 100));
      expect(processesInside(join(tmp.dir, "worktrees"))).toEqual([stray.pid]);
      expect(killProcessesInside(join(tmp.dir, "worktrees"))).toEqual([stray.pid]);
      await strayExit;
      expect(processesInside(join(tmp.dir, "worktrees"))).toEqual([]);
      expect(bystander.exitCode).toBeNull();
    } finally {
      stray.kill("SIGKILL");
      bystander.kill("SIGKILL");
    }
  });
});

import { describe, expect, it } from "vitest";
import { runInProcessGroup, shellArgv } from "../../../src/workspace/index.js";

const PATH_ONLY = { PATH: "/usr/bin:/bin" };

describe("the one process-group runner (setup commands, the gate, agent commands)", () => {
  it("puts a sandbox prefix in front of the command and gives it exactly the environment it was handed", async () => {
    const r = await runInProcessGroup({
      argvPrefix: ["/bin/sh", "-c", 'echo "in the sandbox"; exec "$@"', "sandbox"],
      argv: shellArgv('echo "home=${HOME:-unset} x=$X"'),
      cwd: "/",
      env: { ...PATH_ONLY, X: "1" },
    });
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe("in the sandbox\nhome=unset x=1\n");
  });

  it("on abort sends SIGTERM to the group, then SIGKILL after the grace period to what ignores it", async () => {
    const controller = new AbortController();
    const r = await runInProcessGroup({
      argv: shellArgv("trap '' TERM; echo ready; sleep 30; echo survived"),
      cwd: "/",
      env: PATH_ONLY,
      signal: controller.signal,
      killGraceMs: 300,
      onLine: (line) => {
        if (line === "ready") controller.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.output).not.toContain("survived");
    expect(r.durationMs).toBeGreaterThanOrEqual(300); // SIGTERM was ignored: only the SIGKILL after the grace ended it
  });

  it("ends when the command exits, stopping what it left running in the background with the output pipes", async () => {
    const r = await runInProcessGroup({ argv: shellArgv("sleep 30 & echo done"), cwd: "/", env: PATH_ONLY, timeoutMs: 20_000 });
    expect(r).toMatchObject({ exitCode: 0, timedOut: false, aborted: false });
    expect(r.output).toBe("done\n");
  });

  it("stops a command at its timeout and says so", async () => {
    const r = await runInProcessGroup({ argv: shellArgv("sleep 30"), cwd: "/", env: PATH_ONLY, timeoutMs: 100, killGraceMs: 100 });
    expect(r).toMatchObject({ timedOut: true, aborted: false, exitCode: null });
  });
});

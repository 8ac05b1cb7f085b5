import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { adminQuery } from "../cli/run-kappa.js";
import { ndjson, project, releaseGate, type Event, type Project } from "./pipeline-helpers.js";

const DIAMOND = [{ id: "a" }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a"] }, { id: "d", dependsOn: ["b", "c"] }];
const WRITE_OWN_FILE = "echo {taskId} > {taskId}.txt";
const gates: Array<{ cleanup(): void }> = [];

describe("kappa run (command driver, real git, real PostgreSQL)", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
    for (const g of gates.splice(0)) g.cleanup();
  });

  it("merges every task into the integration branch and leaves the user's branch untouched", async () => {
    p = await project(DIAMOND, WRITE_OWN_FILE);
    const before = gitIn(p.dir, "rev-parse", "HEAD");
    const res = await p.kappa("--json", "run", "--plan", p.plan, "-n", "2");
    expect(res.stderr).not.toMatch(/error:/);
    expect(res.code).toBe(0);
    const events = ndjson(res.stdout);
    const last = events.at(-1) as { type: string; status: string; integrationBranch: string; tasks: { completed: string[] } };
    expect(last.type).toBe("run:finished");
    expect(last.status).toBe("completed");
    expect([...last.tasks.completed].sort()).toEqual(["a", "b", "c", "d"]);
    const merges = events.filter((e) => e.type === "merge:done") as unknown as { taskId: string; files: string[] }[];
    expect(merges.map((e) => [e.taskId, e.files]).sort()).toEqual([["a", ["a.txt"]], ["b", ["b.txt"]], ["c", ["c.txt"]], ["d", ["d.txt"]]]);
    for (const e of events) expect(e.runId).toBeTypeOf("string");
    // Merged tasks' worktrees are gone, and so is git's record of them; their branches stay.
    expect(gitIn(p.dir, "worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree "))).toHaveLength(1);
    const files = gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch).split("\n");
    expect(files).toEqual(expect.arrayContaining(["a.txt", "b.txt", "c.txt", "d.txt", "README.md"]));
    expect(gitIn(p.dir, "rev-parse", "HEAD")).toBe(before);
    // Only kappa's own directory (config and ignore file, which the user may commit) appears in git status.
    expect(gitIn(p.dir, "status", "--porcelain", "--untracked-files=all").split("\n").sort()).toEqual(["?? .kappa/.gitignore", "?? .kappa/config.yaml", "?? plan.yaml"]);
    // d started only after b and c were merged: its branch holds their files.
    const taskBranch = last.integrationBranch.replace(/main$/, "d");
    expect(gitIn(p.dir, "ls-tree", "--name-only", taskBranch).split("\n")).toEqual(expect.arrayContaining(["b.txt", "c.txt", "d.txt"]));
  });

  it("skips only the dependents of a failed task and ends partial", async () => {
    p = await project(DIAMOND, `if [ {taskId} = b ]; then echo broken >&2; exit 3; fi; ${WRITE_OWN_FILE}`);
    const res = await p.kappa("--json", "run", "--plan", p.plan);
    expect(res.code).toBe(1);
    const last = ndjson(res.stdout).at(-1) as unknown as { status: string; tasks: { completed: string[]; failed: string[]; skipped: string[] } };
    expect(last.status).toBe("partial");
    expect(last.tasks.failed).toEqual(["b"]);
    expect(last.tasks.skipped).toEqual(["d"]);
    expect([...last.tasks.completed].sort()).toEqual(["a", "c"]);
    const status = await p.kappa("--json", "status");
    const tasks = (JSON.parse(status.stdout) as { tasks: { id: string; reason: string | null }[] }).tasks;
    expect(tasks.find((t) => t.id === "d")?.reason).toMatch(/depends on b/);
  });

  it("resumes a killed run without re-running finished tasks, and loses no commit", async () => {
    const tasks = ["t1", "t2", "t3", "t4", "t5", "t6"].map((id, i) => ({ id, dependsOn: i > 0 ? [`t${i}`] : [] }));
    p = await project(tasks, `sleep 0.4; ${WRITE_OWN_FILE}`);
    const child = p.spawnKappa("--json", "run", "--plan", p.plan);
    let out = "";
    let runId = "";
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        const events = ndjson(out);
        runId ||= events.find((e) => e.type === "run:started")?.runId ?? "";
        if (events.filter((e) => e.type === "merge:done").length >= 2) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("close", () => resolve());
    });
    expect(runId).not.toBe("");
    const mergedBeforeKill = ndjson(out).filter((e) => e.type === "merge:done").map((e) => e.taskId ?? "");
    const resumed = await p.kappa("--json", "resume", runId);
    expect(resumed.code).toBe(0);
    const last = ndjson(resumed.stdout).at(-1) as unknown as { status: string; integrationBranch: string };
    expect(last.status).toBe("completed");
    const files = gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch).split("\n");
    expect(files).toEqual(expect.arrayContaining(tasks.map((t) => `${t.id}.txt`)));
    const schema = new URL(p.env.DATABASE_URL as string).searchParams.get("options")?.split("=")[1] as string;
    const sessions = await adminQuery<{ task_id: string; n: string }>(`SELECT task_id, count(*) AS n FROM ${schema}.sessions GROUP BY task_id`);
    for (const id of mergedBeforeKill) expect(Number(sessions.find((s) => s.task_id === id)?.n)).toBe(1);
    const stillRunning = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.sessions WHERE status = 'running'`);
    expect(Number(stillRunning[0]?.n)).toBe(0);
    expect(ndjson(resumed.stdout).filter((e) => e.type === "task:started").map((e) => e.taskId)).not.toEqual(expect.arrayContaining(mergedBeforeKill));
  });

  it("refuses a second orchestrator on the same run, and stops on `kappa cancel`", async () => {
    const gate = releaseGate();
    gates.push(gate);
    p = await project([{ id: "slow" }, { id: "later", dependsOn: ["slow"] }], `${gate.wait}; ${WRITE_OWN_FILE}`);
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "--no-sandbox");
    let out = "";
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const runId = await new Promise<string>((resolve) => {
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        const started = ndjson(out).find((e) => e.type === "task:started");
        if (started?.runId) resolve(started.runId);
      });
    });
    // "slow" waits for the gate file, which is written only once the cancel has been seen.
    const second = await p.kappa("resume", runId);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already being driven by another kappa process/);
    const cancel = await p.kappa("cancel", runId);
    expect(cancel.code).toBe(0);
    expect(await closed).toBe(1);
    expect(ndjson(out).filter((e) => e.type === "merge:done")).toHaveLength(0);
    const status = JSON.parse((await p.kappa("--json", "status", runId)).stdout) as { run: { status: string } };
    expect(status.run.status).toBe("cancelled");
    gate.open();
    const resumed = await p.kappa("--json", "resume", runId);
    expect(ndjson(resumed.stdout).at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
  });

  it("on Ctrl-C finishes and merges the running tasks without starting new ones, aborts them on a second Ctrl-C, and resumes", async () => {
    const tasks = [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }];
    const gate = releaseGate();
    gates.push(gate);
    p = await project(tasks, `${gate.wait}; ${WRITE_OWN_FILE}`);
    const ctrlC = async (times: number): Promise<{ events: Event[]; code: number | null; stderr: string }> => {
      const child = (p as Project).spawnKappaInGroup("--json", "run", "--plan", (p as Project).plan, "-n", "2", "--no-sandbox");
      let out = "";
      let stderr = "";
      const stopping = new Promise<void>((resolve) => {
        child.stderr?.on("data", (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes("stopping: running tasks finish")) resolve();
        });
      });
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      await new Promise<void>((resolve) => {
        child.stdout?.on("data", (c: Buffer) => {
          out += c.toString();
          if (ndjson(out).filter((e) => e.type === "task:started").length >= 2) resolve();
        });
      });
      // A terminal's Ctrl-C goes to the whole foreground process group: kappa, its git helper, the agents.
      // The tasks wait for the gate, so they are still running whenever a Ctrl-C arrives.
      process.kill(-(child.pid as number), "SIGINT");
      await stopping;
      if (times === 1) gate.open();
      else process.kill(-(child.pid as number), "SIGINT");
      const code = await closed;
      return { events: ndjson(out), code, stderr };
    };

    const once = await ctrlC(1);
    expect(once.stderr).toContain("stopping: running tasks finish");
    const started = once.events.filter((e) => e.type === "task:started").map((e) => e.taskId);
    expect(started).toHaveLength(2);
    expect(once.events.filter((e) => e.type === "merge:done").map((e) => e.taskId).sort()).toEqual([...started].sort());
    expect(once.events.at(-1)).toMatchObject({ type: "run:finished", status: "stopped" });
    expect(once.code).toBe(1);
    const runId = once.events[0]?.runId ?? "";

    const resumed = await p.kappa("--json", "resume", runId);
    const resumedEvents = ndjson(resumed.stdout);
    expect(resumedEvents.filter((e) => e.type === "task:started").map((e) => e.taskId).sort()).toEqual(tasks.map((t) => t.id).filter((id) => !started.includes(id)).sort());
    expect(resumedEvents.at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
    expect(gitIn(p.dir, "ls-tree", "--name-only", `kappa/${runId}/main`).split("\n")).toEqual(expect.arrayContaining(["a.txt", "b.txt", "c.txt", "d.txt"]));

    gate.close();
    const twice = await ctrlC(2);
    expect(twice.events.filter((e) => e.type === "merge:done")).toHaveLength(0);
    expect(twice.code).not.toBe(0);
    gate.open();
    const again = await p.kappa("--json", "resume", twice.events[0]?.runId ?? "");
    expect(ndjson(again.stdout).at(-1)).toMatchObject({ type: "run:finished", status: "completed" });
  }, 60_000);
});

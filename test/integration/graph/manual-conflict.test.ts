import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { ndjson, project, type Project } from "./pipeline-helpers.js";

const write = (path: string, content: string) => ({ turns: [{ tools: [{ tool: "Write", input: { file_path: path, content } }] }, { text: "Done." }] });

describe("a conflict no strategy can settle (real Claude Code CLI, simulated model)", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
  });

  it("waits in the review queue while the rest of the run goes on, and finishes after `kappa resolve` and `kappa resume`", async () => {
    p = await project([{ id: "left" }, { id: "right" }, { id: "other" }, { id: "after-left", dependsOn: ["left"] }, { id: "after-right", dependsOn: ["right"] }], "true", { KAPPA_DRIVER: "claude", KAPPA_MAX_RETRIES: "1" }, { "TASKS.md": "# Tasks\n" });
    const scenario = join(p.dir, "..", `${p.dir.split("/").pop() ?? "x"}-scenario.yaml`);
    writeFileSync(
      scenario,
      stringify({
        version: 1,
        tasks: [
          { match: { taskId: "left" }, ...write("settings.txt", "colour = blue\n") },
          { match: { taskId: "right" }, ...write("settings.txt", "colour = red\n") },
        ],
      }),
    );
    const first = await p.kappa("--json", "run", "--plan", p.plan, "--simulate", scenario);
    expect(first.code).toBe(1);
    const events = ndjson(first.stdout);
    const queued = events.find((e) => e.type === "conflict:queued");
    expect(queued).toBeDefined();
    const waitingTask = String(queued?.taskId);
    const mergedFirst = waitingTask === "left" ? "right" : "left";
    // Only the conflicted task and its dependent wait; everything else ran and merged.
    const merged = events.filter((e) => e.type === "merge:done").map((e) => e.taskId);
    expect(merged).toEqual(expect.arrayContaining(["other", mergedFirst, `after-${mergedFirst}`]));
    expect(merged).not.toContain(`after-${waitingTask}`);
    const waiting = events.at(-1);
    expect(waiting).toMatchObject({ type: "run:finished", status: "waiting" });
    const runId = String(waiting?.runId);

    const listed = ndjson((await p.kappa("--json", "conflicts", "--run", runId)).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ type: "conflict", taskId: waitingTask, paths: ["settings.txt"] });

    const resolved = await p.kappa("resolve", "--conflict", String(listed[0]?.id), "--theirs");
    expect(resolved.code).toBe(0);

    const resumed = await p.kappa("--json", "resume", runId);
    expect(resumed.stderr).not.toMatch(/error:/);
    const last = ndjson(resumed.stdout).at(-1) as unknown as { type: string; status: string; integrationBranch: string };
    expect(last).toMatchObject({ type: "run:finished", status: "completed" });
    const expected = waitingTask === "left" ? "colour = blue\n" : "colour = red\n";
    expect(`${gitIn(p.dir, "show", `${last.integrationBranch}:settings.txt`)}\n`).toBe(expected);
  });
});

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { ndjson, project, type Event, type Project } from "../graph/pipeline-helpers.js";

const FILES = 60;

/**
 * A scripted task whose first turn makes 60 slow-ish Bash calls (f0.txt … f59.txt), so that a kill lands in the
 * middle of the turn, and whose second turn writes last.txt.
 */
function scenario(): string {
  const calls = Array.from({ length: FILES }, (_, i) => ({ tool: "Bash", input: { command: `sleep 0.05; echo ${i} > f${i}.txt` } }));
  return stringify({
    version: 1,
    tasks: [{ match: { taskId: "many" }, turns: [{ text: "Writing the files.", tools: calls }, { tools: [{ tool: "Write", input: { file_path: "last.txt", content: "last\n" } }] }, { text: "All files written." }] }],
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

describe("a scripted session resumed after a crash (real Claude Code CLI, simulated model)", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
  });

  // The kill lands after f10.txt exists: in the first turn (its other calls are answered "interrupted" on resume).
  it("makes again the calls its interrupted turn never ran, goes on with the next turn, and every file is merged", async () => {
    p = await project([{ id: "many" }], "true", { KAPPA_DRIVER: "claude", KAPPA_MAX_RETRIES: "0", KAPPA_IDLE_TIMEOUT: "600" });
    const file = `${p.dir}.scenario.yaml`;
    writeFileSync(file, scenario());
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "--simulate", file);
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    const worktrees = join(p.dir, ".kappa", "worktrees");
    const written = (): boolean => existsSync(worktrees) && readdirSync(worktrees).some((run) => existsSync(join(worktrees, run, "many", "f10.txt")));
    await until(written);
    child.kill("SIGKILL");
    await closed;
    const runId = ndjson(out).find((e) => e.type === "run:started")?.runId ?? "";
    expect(runId).not.toBe("");

    const resumed = await p.kappa("--json", "resume", runId);
    const last = ndjson(resumed.stdout).at(-1) as Event & { status: string; integrationBranch: string };
    expect(last).toMatchObject({ type: "run:finished", status: "completed" });
    expect(resumed.stdout).toContain("did not run, making them again");
    const tree = gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch).split("\n");
    expect(tree.filter((f) => /^f\d+\.txt$/.test(f)).length).toBe(FILES);
    expect(tree).toContain("last.txt");
  });
});

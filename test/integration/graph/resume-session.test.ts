import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { adminQuery } from "../cli/run-kappa.js";
import { ndjson, project, type Event, type Project } from "./pipeline-helpers.js";

describe("a session cut short by a crash (real Claude Code CLI, simulated model)", () => {
  let p: Project | undefined;
  afterEach(async () => {
    await p?.cleanup();
    p = undefined;
  });

  it("continues its own conversation on resume instead of starting over", async () => {
    p = await project([{ id: "slow" }], "true", { KAPPA_DRIVER: "claude", KAPPA_MAX_RETRIES: "0" });
    const scenario = `${p.dir}.scenario.yaml`;
    writeFileSync(scenario, stringify({ version: 1, tasks: [{ match: { taskId: "slow" }, turns: [{ latencyMs: 2500, tools: [{ tool: "Write", input: { file_path: "a.txt", content: "a\n" } }] }, { text: "Done." }] }] }));
    const child = p.spawnKappa("--json", "run", "--plan", p.plan, "--simulate", scenario);
    let out = "";
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    const announced = new Promise<void>((resolve) => {
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        if (ndjson(out).some((e) => e.type === "session:output" && e.kind === "system")) resolve();
      });
    });
    await announced;
    // Once the session's announcement (with the agent's session id) is stored, kill the orchestrator mid-turn.
    const schema = new URL(p.env.DATABASE_URL ?? "").searchParams.get("options")?.split("=")[1] ?? "";
    const stored = async (): Promise<boolean> =>
      (await adminQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.session_events WHERE kind = 'system' AND data ? 'sessionId'`))[0]?.n === 1;
    for (let i = 0; i < 500 && !(await stored()); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await closed;
    const runId = ndjson(out).find((e) => e.type === "run:started")?.runId ?? "";
    expect(ndjson(out).some((e) => e.type === "run:finished")).toBe(false);

    const resumed = await p.kappa("--json", "resume", runId);
    const last = ndjson(resumed.stdout).at(-1) as Event & { status: string; integrationBranch: string };
    expect(last).toMatchObject({ type: "run:finished", status: "completed" });
    expect(gitIn(p.dir, "show", `${last.integrationBranch}:a.txt`)).toBe("a");

    const inits = await adminQuery<{ status: string; agent: string }>(
      `SELECT s.status, e.data->>'sessionId' AS agent FROM ${schema}.sessions s JOIN ${schema}.session_events e ON e.session_id = s.id
        WHERE e.kind = 'system' AND e.data ? 'sessionId' ORDER BY s.started_at`,
    );
    expect(inits.map((i) => i.status)).toEqual(["failed", "completed"]);
    expect(inits[1]?.agent).toBe(inits[0]?.agent);
  });
});

/**
 * kappa notices what a task does outside its own work (command driver, real git, real PostgreSQL): a rewound
 * integration branch is put back and loses no merged task; a moved user branch stops the run with exit 1.
 */
import { afterEach, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { ndjson, project, type Project } from "../graph/pipeline-helpers.js";

let p: Project | undefined;
afterEach(async () => {
  await p?.cleanup();
  p = undefined;
});

it("a task that rewinds the integration branch and moves the user's main cannot drop merged work; the run stops with exit 1 and says what changed", async () => {
  // `evil` runs after `a` was merged; `after` depends on it and must never start.
  const evil = 'git update-ref "refs/heads/kappa/$KAPPA_RUN_ID/main" "$(git rev-list --max-parents=0 HEAD)" && git update-ref refs/heads/main HEAD';
  p = await project([{ id: "a" }, { id: "evil", dependsOn: ["a"] }, { id: "after", dependsOn: ["evil"] }], `echo {taskId} > {taskId}.txt; if [ {taskId} = evil ]; then ${evil}; fi`);
  const userMain = gitIn(p.dir, "rev-parse", "refs/heads/main");
  // Unsandboxed, so that the task's git commands reach the repository: the guards must notice on their own.
  const res = await p.kappa("--json", "run", "--plan", p.plan, "--no-sandbox");
  expect(res.code).toBe(1);
  const events = ndjson(res.stdout);
  const changed = events.find((e) => e.type === "checkout:changed") as unknown as { changes: { what: string; ref?: string; message: string }[] } | undefined;
  expect(changed?.changes.map((c) => [c.what, c.ref])).toEqual(
    expect.arrayContaining([
      ["ref", expect.stringMatching(/^refs\/heads\/kappa\/.+\/main$/)],
      ["head", undefined],
      ["ref", "refs/heads/main"],
    ]),
  );
  expect(changed?.changes.find((c) => c.ref?.startsWith("refs/heads/kappa/"))?.message).toMatch(/kappa put it back/);
  const last = events.at(-1) as unknown as { type: string; status: string; integrationBranch: string };
  expect(last).toMatchObject({ type: "run:finished", status: "stopped" });
  expect(events.some((e) => e.type === "task:started" && e.taskId === "after")).toBe(false);
  // Both merged tasks are still in the integration branch, on top of the user's commit.
  expect(gitIn(p.dir, "ls-tree", "--name-only", last.integrationBranch).split("\n")).toEqual(expect.arrayContaining(["a.txt", "evil.txt", "README.md"]));
  expect(gitIn(p.dir, "merge-base", "--is-ancestor", userMain, last.integrationBranch)).toBe("");
  expect(res.stdout + res.stderr).toMatch(/checkout changed during the run/);
});

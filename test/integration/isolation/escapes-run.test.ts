/**
 * The escapes of issue 11 through `kappa run` (command driver in its sandbox, real git, real PostgreSQL): the
 * user's checkout stays byte-identical (dirty tree, staged change, untracked file), refs and HEAD unchanged, the
 * integration branch cannot be rewound, `env` holds no secret and planted secret and temp files are not committed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { gitIn } from "../../helpers/git.js";
import { userState } from "../workspace/user-state.js";
import { ndjson, project, type Project } from "../graph/pipeline-helpers.js";

let p: Project | undefined;
afterEach(async () => {
  await p?.cleanup();
  p = undefined;
});

const SECRET = "tok-my-service-0123456789";
// A task's worktree is .kappa/worktrees/<run>/<task>: four levels below the user's checkout.
const USER = "../../../..";
const ESCAPES = [
  `git -C ${USER} reset -q --hard`,
  `git -C ${USER} checkout -q -b hijacked`,
  "git update-ref refs/heads/main HEAD",
  'git update-ref "refs/heads/kappa/$KAPPA_RUN_ID/main" "$(git rev-list --max-parents=0 HEAD)"',
  `echo x > ${USER}/escape.txt`,
  'echo y > "/tmp/kappa-abs-escape-$KAPPA_RUN_ID"',
  "env > env.txt",
  "echo MY_SERVICE_TOKEN=leaked > .env",
  "printf half > notes.md.tmp.4242.9f3c2a1b",
];

it("no escape of a sandboxed task reaches the user's checkout, refs or secrets, and the run completes with every task merged", async () => {
  const template = `if [ {taskId} = evil ]; then ${ESCAPES.join("; ")}; fi; echo {taskId} > {taskId}.txt`;
  p = await project([{ id: "a" }, { id: "evil", dependsOn: ["a"] }], template, { MY_SERVICE_TOKEN: SECRET }, { "src/a.ts": "export const a = 1;\n" });
  writeFileSync(join(p.dir, "README.md"), "# demo, editing\n");
  writeFileSync(join(p.dir, "src/a.ts"), "export const a = 2;\n");
  gitIn(p.dir, "add", "src/a.ts");
  writeFileSync(join(p.dir, "notes.txt"), "untracked\n");
  // kappa's own .kappa/config.yaml and .gitignore (which the user may commit) are the only new files it makes.
  const state = (dir: string) => {
    const s = userState(dir);
    return { ...s, status: s.status.split("\n").filter((l) => !l.startsWith("?? .kappa/")).join("\n"), refs: gitIn(dir, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/main", "refs/tags") };
  };
  const before = state(p.dir);

  const res = await p.kappa("--json", "run", "--plan", p.plan);
  expect(res.code, res.stderr).toBe(0);
  const events = ndjson(res.stdout);
  const last = events.at(-1) as unknown as { status: string; integrationBranch: string; tasks: { completed: string[] } };
  expect(last.status).toBe("completed");
  expect(events.some((e) => e.type === "checkout:changed")).toBe(false);

  expect(state(p.dir)).toEqual(before);
  expect(readFileSync(join(p.dir, "README.md"), "utf8")).toBe("# demo, editing\n");
  expect(readFileSync(join(p.dir, "notes.txt"), "utf8")).toBe("untracked\n");
  expect(gitIn(p.dir, "branch", "--list", "hijacked")).toBe("");
  expect(existsSync(join(p.dir, "escape.txt"))).toBe(false);
  const runId = (events.find((e) => e.type === "run:started") as { runId: string }).runId;
  expect(existsSync(`/tmp/kappa-abs-escape-${runId}`)).toBe(false);

  const merged = gitIn(p.dir, "ls-tree", "-r", "--name-only", last.integrationBranch).split("\n");
  expect(merged).toEqual(expect.arrayContaining(["a.txt", "evil.txt", "env.txt"]));
  expect(merged).not.toContain(".env");
  expect(merged).not.toContain("notes.md.tmp.4242.9f3c2a1b");
  const env = gitIn(p.dir, "show", `${last.integrationBranch}:env.txt`);
  expect(env).not.toContain(SECRET);
  expect(env).not.toContain("DATABASE_URL");
  const excluded = events.find((e) => e.type === "commit:excluded") as unknown as { taskId: string; files: { path: string; reason: string }[] };
  expect(excluded.taskId).toBe("evil");
  expect(excluded.files).toEqual(expect.arrayContaining([{ path: ".env", reason: "secret-file" }, { path: "notes.md.tmp.4242.9f3c2a1b", reason: "temp-file" }]));
});

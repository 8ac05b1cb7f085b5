/**
 * Without bubblewrap and socat, `kappa doctor` fails with the install command and `kappa run` refuses (exit 2,
 * nothing stored) unless `--no-sandbox`, which the run records and shows (summary, `kappa status`, `--json`).
 */
import { mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { tempDir } from "../../helpers/git.js";
import { ndjson, project, type Project } from "../graph/pipeline-helpers.js";

let p: Project | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await p?.cleanup();
  p = undefined;
  for (const c of cleanups.splice(0)) c();
});

/** A PATH holding every program of the system's but bwrap and socat. */
function pathWithoutSandbox(): string {
  const bin = tempDir();
  cleanups.push(() => bin.cleanup());
  const dir = join(bin.dir, "bin");
  mkdirSync(dir);
  const system = ["/usr/local/bin", "/usr/bin", "/usr/sbin"];
  for (const from of system) {
    for (const name of readdirSync(from)) {
      if (name === "bwrap" || name === "socat") continue;
      try {
        symlinkSync(join(from, name), join(dir, name));
      } catch {
        // the same name in an earlier directory wins, as on PATH
      }
    }
  }
  const others = (process.env.PATH ?? "").split(":").filter((d) => d !== "" && !system.includes(d) && d !== "/bin" && d !== "/sbin" && d !== "/usr/local/sbin");
  return [...others, dir].join(":");
}

it("without bubblewrap and socat, doctor fails with the install command and run refuses with exit 2 unless --no-sandbox, which is recorded and shown", async () => {
  p = await project([{ id: "a" }], "echo {taskId} > {taskId}.txt");
  const env = { ...p.env, PATH: pathWithoutSandbox() };
  const { runKappa } = await import("../cli/run-kappa.js");
  const kappa = (...args: string[]) => runKappa(["--project", p!.dir, ...args], env);

  const doctor = await kappa("doctor", "--json");
  expect(doctor.code).toBe(1);
  const sandbox = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string; fix?: string }[] }).checks.find((c) => c.name === "sandbox");
  expect(sandbox).toMatchObject({ status: "fail", fix: expect.stringContaining("apt-get install -y bubblewrap socat") });

  const refused = await kappa("run", "--plan", p.plan);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^error: the session sandbox needs bubblewrap and socat; not found on PATH: bwrap, socat$/m);
  expect(refused.stderr).toMatch(/^\s*fix: .*apt-get install -y bubblewrap socat.*--no-sandbox/m);
  expect((await kappa("--json", "status")).stdout).not.toContain('"id"');

  const unconfined = await kappa("--json", "run", "--plan", p.plan, "--no-sandbox");
  expect(unconfined.code).toBe(0);
  expect(ndjson(unconfined.stdout).find((e) => e.type === "run:started")).toMatchObject({ sandboxed: false });
  const status = JSON.parse((await kappa("--json", "status")).stdout) as { run: { options: { noSandbox?: boolean } } };
  expect(status.run.options.noSandbox).toBe(true);
  expect((await kappa("status")).stdout).toMatch(/no sandbox/);
});

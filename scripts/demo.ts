/**
 * `npm run demo`: the whole pipeline, offline. Copies an example project into a fresh git repository in a temp
 * directory and runs `kappa run --simulate` on it: the real Claude Code CLI talking to kappa's simulated
 * model, real git worktrees and merges, and the embedded PostgreSQL under the project's .kappa/.
 *
 *   npm run demo [-- --example cli-tool] [--conflict] [-n 4]
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { missingSandboxPrograms } from "../src/sessions/sandbox.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const example = option("--example") ?? "cli-tool";
const parallel = option("-n") ?? "4";
const conflictScenario = args.includes("--conflict");
const exampleDir = join(root, "examples", example);
if (!existsSync(join(exampleDir, "SPEC.md"))) {
  const available = readdirSync(join(root, "examples")).filter((d) => existsSync(join(root, "examples", d, "SPEC.md")));
  process.stderr.write(`error: no example "${example}"\n  fix: use one of ${available.join(", ")}\n`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), `kappa-demo-${example}-`));
// As root, the embedded PostgreSQL runs as the `postgres` user, who must be able to enter the project.
chmodSync(dir, 0o755);
cpSync(exampleDir, dir, { recursive: true });
const gitEnv: Record<string, string | undefined> = { ...process.env, GIT_AUTHOR_NAME: "kappa demo", GIT_AUTHOR_EMAIL: "demo@localhost", GIT_COMMITTER_NAME: "kappa demo", GIT_COMMITTER_EMAIL: "demo@localhost" };
const git = (...a: string[]): string => {
  const r = spawnSync("git", a, { cwd: dir, env: gitEnv, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${a.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
};
git("init", "-q", "-b", "main");
git("add", "-A");
git("commit", "-q", "-m", `${example}: the specification`);

// The demo always uses the embedded database under the project's .kappa/, never a DATABASE_URL of yours.
const env: Record<string, string | undefined> = { ...gitEnv };
delete env.DATABASE_URL;
for (const key of Object.keys(env)) if (key.startsWith("KAPPA_")) delete env[key];
env.KAPPA_RETRY_BASE_MS = "200";

const kappa = (...a: string[]): number => {
  const r = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "cli", "main.ts"), "--project", dir, ...a], { cwd: dir, env, stdio: "inherit" });
  return r.status ?? 1;
};

const say = (s: string): void => void process.stdout.write(`\n\u001b[1m${s}\u001b[22m\n`);
say(`kappa demo: "${example}" in ${dir} — simulated model, real Claude Code CLI, real git, embedded PostgreSQL`);
const scenario = conflictScenario ? join(root, "examples", "scenarios", "manual-conflict.yaml") : "default";
kappa("plan", "--spec", "SPEC.md", "--planner", "heuristic", "-n", parallel);
const started = Date.now();
// Sessions run in the OS sandbox when bubblewrap and socat are installed; without them the demo still runs, and says so.
const missing = missingSandboxPrograms(process.env);
if (missing.length > 0) say(`note: ${missing.join(" and ")} not found, so the demo runs its sessions without the OS sandbox (--no-sandbox); apt-get install -y bubblewrap socat turns it on`);
let code = kappa("run", "--spec", "SPEC.md", "--simulate", scenario, "-n", parallel, ...(missing.length > 0 ? ["--no-sandbox"] : []));
const branch = git("for-each-ref", "--format=%(refname:short)", "refs/heads/kappa/*/main").split("\n")[0] ?? "";
if (conflictScenario && branch) {
  // What a person does next: look at the conflict, decide, and let the run finish.
  const runId = branch.split("/")[1] ?? "";
  say("the run waits for a decision; the rest of it finished. The conflict, as `kappa conflicts` shows it:");
  kappa("conflicts", "--run", runId);
  const listed = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "cli", "main.ts"), "--project", dir, "--json", "conflicts", "--run", runId], { cwd: dir, env, encoding: "utf8" });
  const id = (JSON.parse(listed.stdout.split("\n")[0] ?? "{}") as { id?: number }).id;
  say(`deciding for the waiting task's version: kappa resolve --conflict ${id ?? "?"} --theirs; then kappa resume ${runId}`);
  kappa("resolve", "--conflict", String(id), "--theirs");
  code = kappa("resume", runId);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(`the run took ${seconds} s; what the integration branch holds now:`);
if (branch) {
  process.stdout.write(`${git("log", "--oneline", "--graph", "--decorate=no", branch, "-n", "30")}\n`);
  process.stdout.write(`\n${git("diff", "--stat", "main", branch)}\n`);
}
kappa("status");
say(`look around: cd ${dir} && git log --graph ${branch || "--all"}   (remove it with: rm -rf ${dir})`);
process.exit(code);

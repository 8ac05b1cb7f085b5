import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempRepo } from "../../helpers/git.js";
import { git, gitText } from "../../../src/workspace/index.js";

const ROOT = join(import.meta.dirname, "../../..");

/** Child processes of this process whose command line mentions `text`. */
function childrenRunning(text: string): number[] {
  return childrenOf(process.pid).filter((pid) => cmdline(pid).includes(text));
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe("git through kappa's helper process", () => {
  let repo: { dir: string; cleanup(): void };
  afterEach(() => repo.cleanup());

  it("returns git's output and exit codes, and passes input on stdin", async () => {
    repo = tempRepo();
    const oid = await gitText(["hash-object", "-w", "--stdin"], { cwd: repo.dir, input: "hello\n" });
    expect(await gitText(["cat-file", "blob", oid], { cwd: repo.dir })).toBe("hello");
    expect((await git(["rev-parse", "--verify", "--quiet", "nope"], { cwd: repo.dir, okCodes: [0, 1] })).code).toBe(1);
    await expect(git(["rev-parse", "--verify", "nope"], { cwd: repo.dir })).rejects.toThrow(/git rev-parse --verify nope failed \(exit 128\)/);
  });

  it("stops a git command and what it started when the call is aborted", async () => {
    repo = tempRepo();
    const marker = join(repo.dir, "finished");
    const controller = new AbortController();
    const call = git(["-c", `alias.slow=!sleep 1.5; touch ${marker}`, "slow"], { cwd: repo.dir, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await expect(call).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(marker)).toBe(false);
  });

  it("keeps working after its helper process died", async () => {
    repo = tempRepo();
    await gitText(["rev-parse", "HEAD"], { cwd: repo.dir });
    const [helper] = childrenRunning("git-spawner");
    expect(helper).toBeTypeOf("number");
    process.kill(helper as number, "SIGKILL");
    // Gone for good (reaped, not a zombie): kappa has seen it exit.
    expect(await waitFor(() => !existsSync(`/proc/${helper}`), 5000)).toBe(true);
    expect(await gitText(["rev-parse", "HEAD"], { cwd: repo.dir })).toMatch(/^[0-9a-f]{40}$/);
  });

  it("lets a Ctrl-C in kappa's terminal leave a running git command alone, and does not keep kappa alive", async () => {
    repo = tempRepo();
    const marker = join(repo.dir, "finished");
    const script = join(repo.dir, "script.mts");
    writeFileSync(
      script,
      [
        `import { git } from ${JSON.stringify(join(ROOT, "src/workspace/index.ts"))};`,
        `process.on("SIGINT", () => console.log("interrupted"));`,
        `const r = await git(["-c", "alias.slow=!sleep 1; touch ${marker}", "slow"], { cwd: ${JSON.stringify(repo.dir)} });`,
        `console.log("git exited", r.code);`,
      ].join("\n"),
    );
    // Its own process group, like a terminal's foreground job: the SIGINT goes to the whole group.
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The alias's `sleep` running under the helper means the helper is set up and git has started: Ctrl-C now.
    expect(await waitFor(() => descendantsOf(child.pid as number).some((pid) => cmdline(pid).startsWith("sleep\u00001")), 10_000)).toBe(true);
    process.kill(-(child.pid as number), "SIGINT");
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("still running"), 10_000))]);
    expect(out).toContain("interrupted");
    expect(out).toContain("git exited 0");
    expect(code).toBe(0);
    expect(existsSync(marker)).toBe(true);
  }, 30_000);
});

function childrenOf(parent: number): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function descendantsOf(root: number): number[] {
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const children = childrenOf(queue.shift() as number);
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

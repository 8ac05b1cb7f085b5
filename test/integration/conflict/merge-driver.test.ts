import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitIn, sh, tempRepo, writeFiles } from "../../helpers/git.js";

const ROOT = resolve(import.meta.dirname, "../../..");
/** The CLI entry git runs. */
const ENTRY = join(ROOT, "src/cli/main.ts");
const DRIVER = `${join(ROOT, "node_modules/.bin/tsx")} ${ENTRY} merge-driver %O %A %B %P`;
const pkg = (deps: Record<string, string>): string => `${JSON.stringify({ name: "app", version: "1.0.0", dependencies: deps }, null, 2)}\n`;

let repo: ReturnType<typeof tempRepo>;
afterEach(() => repo.cleanup());

function setup(files: Record<string, string>): string {
  repo = tempRepo({ ...files, ".gitattributes": "package.json merge=kappa\n*.ts merge=kappa\n" });
  gitIn(repo.dir, "config", "merge.kappa.name", "kappa structured merge");
  gitIn(repo.dir, "config", "merge.kappa.driver", DRIVER);
  return repo.dir;
}

function commitOn(dir: string, branch: string, from: string, files: Record<string, string>): void {
  gitIn(dir, "checkout", "-q", "-b", branch, from);
  writeFiles(dir, files);
  gitIn(dir, "commit", "-q", "-am", branch);
}

function merge(dir: string, branch: string): { code: number; output: string } {
  try {
    return { code: 0, output: sh(dir, "git", ["merge", "--no-edit", "-q", branch]) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe("kappa merge-driver under a real `git merge`", () => {
  it("merges package.json dependencies that git alone would leave conflicting", () => {
    const dir = setup({ "package.json": pkg({ a: "^1.0.0" }) });
    commitOn(dir, "left", "main", { "package.json": pkg({ a: "^1.0.0", b: "^2.0.0" }) });
    commitOn(dir, "right", "main", { "package.json": pkg({ a: "^1.1.0", c: "^3.0.0" }) });
    gitIn(dir, "checkout", "-q", "left");
    const r = merge(dir, "right");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(pkg({ a: "^1.1.0", b: "^2.0.0", c: "^3.0.0" }));
    expect(gitIn(dir, "status", "--porcelain")).toBe("");
  });

  it("keeps both imports added at the same spot", () => {
    const base = 'import a from "a";\n\nconsole.log(a);\n';
    const dir = setup({ "x.ts": base });
    commitOn(dir, "left", "main", { "x.ts": base.replace('"a";\n', '"a";\nimport b from "b";\n') });
    commitOn(dir, "right", "main", { "x.ts": base.replace('"a";\n', '"a";\nimport c from "c";\n') });
    gitIn(dir, "checkout", "-q", "left");
    expect(merge(dir, "right").code).toBe(0);
    expect(readFileSync(join(dir, "x.ts"), "utf8")).toBe('import a from "a";\nimport b from "b";\nimport c from "c";\n\nconsole.log(a);\n');
  });

  it("leaves a true conflict to git with conflict markers and a failed merge", () => {
    const dir = setup({ "x.ts": "export const port = 1;\n" });
    commitOn(dir, "left", "main", { "x.ts": "export const port = 2;\n" });
    commitOn(dir, "right", "main", { "x.ts": "export const port = 3;\n" });
    gitIn(dir, "checkout", "-q", "left");
    const r = merge(dir, "right");
    expect(r.code).toBe(1);
    const text = readFileSync(join(dir, "x.ts"), "utf8");
    expect(text).toMatch(/^<<<<<<< .*\nexport const port = 2;\n=======\nexport const port = 3;\n>>>>>>> .*\n$/);
    expect(gitIn(dir, "diff", "--name-only", "--diff-filter=U")).toBe("x.ts");
    expect(existsSync(join(dir, ".git", "MERGE_HEAD"))).toBe(true);
  });

  it("follows the protocol when run directly: result in <ours>, exit 0 or 1", () => {
    const dir = setup({ "x.ts": "" });
    const files = { base: join(dir, "b"), ours: join(dir, "o"), theirs: join(dir, "t") };
    writeFileSync(files.base, "- a\n- b\n- e\n");
    writeFileSync(files.ours, "- a\n- b\n- d\n- e\n");
    writeFileSync(files.theirs, "- a\n- b\n- c\n- e\n");
    const run = (): number => {
      try {
        execFileSync(join(ROOT, "node_modules/.bin/tsx"), [ENTRY, "merge-driver", files.base, files.ours, files.theirs, "list.md"], { stdio: "pipe", cwd: dir });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(run()).toBe(0);
    expect(readFileSync(files.ours, "utf8")).toBe("- a\n- b\n- c\n- d\n- e\n");
    // Two entries at one spot of an unsorted list: their order is a person's choice.
    writeFileSync(files.base, "- a\n");
    writeFileSync(files.ours, "- a\n- b\n");
    writeFileSync(files.theirs, "- a\n- c\n");
    expect(run()).toBe(1);
    expect(readFileSync(files.ours, "utf8")).toContain("<<<<<<< ours\n- b\n=======\n- c\n>>>>>>> theirs\n");
  });
});

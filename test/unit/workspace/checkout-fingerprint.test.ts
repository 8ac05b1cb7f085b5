import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkoutFingerprint } from "../../../src/workspace/index.js";
import { gitIn, tempRepo } from "../../helpers/git.js";

describe("the checkout fingerprint", () => {
  const repos: { dir: string; cleanup(): void }[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });
  const repo = () => {
    const r = tempRepo({ "a.txt": "a\n" });
    repos.push(r);
    return r.dir;
  };

  it("changes when HEAD, a branch, a tag, packed refs or the index change, and not when kappa's own branches move", () => {
    const dir = repo();
    let print = checkoutFingerprint(dir);
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    const changed = (what: () => void): boolean => {
      what();
      const next = checkoutFingerprint(dir);
      const differs = next !== print;
      print = next;
      return differs;
    };
    expect(changed(() => gitIn(dir, "branch", "kappa/r1/main"))).toBe(false);
    expect(changed(() => gitIn(dir, "update-ref", "refs/heads/kappa/r1/t1", "HEAD"))).toBe(false);
    expect(changed(() => gitIn(dir, "branch", "other"))).toBe(true);
    expect(changed(() => gitIn(dir, "tag", "v1"))).toBe(true);
    expect(changed(() => gitIn(dir, "checkout", "-q", "other"))).toBe(true);
    expect(changed(() => gitIn(dir, "pack-refs", "--all"))).toBe(true);
    writeFileSync(join(dir, "a.txt"), "changed\n");
    expect(changed(() => gitIn(dir, "add", "a.txt"))).toBe(true);
    expect(changed(() => undefined)).toBe(false);
  });

  it("is undefined where the repository's files cannot be read directly (a .git file), so a snapshot is taken", () => {
    const dir = repo();
    const wt = join(dir, "..", `${dir.split("/").pop() ?? "x"}-wt`);
    mkdirSync(wt);
    repos.push({ dir: wt, cleanup: () => rmSync(wt, { recursive: true, force: true }) });
    gitIn(dir, "worktree", "add", "-q", "--detach", wt);
    expect(checkoutFingerprint(wt)).toBeUndefined();
  });
});

/**
 * Isolation benchmark (issue 11 item 1): what a private repository per task would cost against today's worktree,
 * on a generated repository of FILES files (default 20 000). Per task, the worktree side does `git worktree add
 * -b <branch> <dir> <head>` and later `git worktree remove`; the clone side does `git clone --shared
 * --no-checkout` (objects borrowed through alternates, own refs, config and hooks), `git checkout -b`, the commit's
 * fetch back into the project (`git fetch <clone> <branch>:<branch>`) and deleting the directory. Both write and
 * commit one file in between. REPS alternating repetitions; the figure is the median clone/worktree ratio.
 * KAPPA_BENCH_FILES overrides the repository size.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, type Benchmark, type Figure } from "./harness.js";

const FILES = Number(process.env.KAPPA_BENCH_FILES ?? 20_000);
const REPS = 5;
const ENV = { ...process.env, GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@localhost", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@localhost" };

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A repository of `files` small files in 100-file directories, one commit. */
function bigRepo(root: string, files: number): string {
  const dir = join(root, "project");
  git(root, "init", "-q", "-b", "main", dir);
  for (let i = 0; i < files; i++) {
    const sub = join(dir, "src", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function viaWorktree(repo: string, root: string, n: number): number {
  const dir = join(root, `wt-${n}`);
  const branch = `kappa/bench/wt-${n}`;
  return timed(() => {
    git(repo, "worktree", "add", "-q", "-b", branch, dir, "main");
    writeFileSync(join(dir, "task.txt"), `${n}\n`);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "task");
    git(repo, "worktree", "remove", dir);
  });
}

function viaClone(repo: string, root: string, n: number): number {
  const dir = join(root, `clone-${n}`);
  const branch = `kappa/bench/clone-${n}`;
  return timed(() => {
    git(root, "clone", "-q", "--shared", "--no-checkout", repo, dir);
    git(dir, "checkout", "-q", "-b", branch, "origin/main");
    writeFileSync(join(dir, "task.txt"), `${n}\n`);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "task");
    git(repo, "fetch", "-q", dir, `${branch}:${branch}`);
    rmSync(dir, { recursive: true, force: true });
  });
}

export const isolationBenchmarks: Benchmark[] = [
  {
    name: "isolation",
    description: `I1: a private clone per task vs a worktree, on a ${FILES}-file repository`,
    run: (log) => Promise.resolve().then(() => measure(log)),
  },
];

function measure(log: (line: string) => void): Figure[] {
  const root = mkdtempSync(join(tmpdir(), "kappa-bench-iso-"));
  try {
    const started = performance.now();
    const repo = bigRepo(root, FILES);
    log(`generated ${FILES} files in ${Math.round(performance.now() - started)} ms`);
    viaWorktree(repo, root, 0);
    viaClone(repo, root, 0);
    const worktree: number[] = [];
    const clone: number[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      const first = rep % 2 === 0;
      const c1 = first ? viaClone(repo, root, rep) : 0;
      const w = viaWorktree(repo, root, rep);
      const c = first ? c1 : viaClone(repo, root, rep);
      worktree.push(w);
      clone.push(c);
      log(`rep ${rep}: worktree ${Math.round(w)} ms, clone ${Math.round(c)} ms`);
    }
    const ratios = clone.map((c, i) => c / (worktree[i] ?? c));
    const figures: Figure[] = [
      { id: "I1", name: "clone/worktree per task", value: median(ratios), note: `clone ${Math.round(median(clone))} ms vs worktree ${Math.round(median(worktree))} ms (medians), ${FILES} files, median of ${REPS} paired ratios` },
      { id: "I1a", name: "worktree per task", value: Math.round(median(worktree)), unit: "ms", note: "worktree add -b, commit, worktree remove" },
      { id: "I1b", name: "clone per task", value: Math.round(median(clone)), unit: "ms", note: "clone --shared --no-checkout, checkout -b, commit, fetch back, rm -rf" },
    ];
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

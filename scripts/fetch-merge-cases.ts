/**
 * Regenerates real merge cases for `npm run bench -- merge` from already-fetched public repositories:
 *   npx tsx scripts/fetch-merge-cases.ts <mirror git dir>… [--max N] [--per-merge N]
 * For each two-parent merge commit with a single merge base, every text file changed on both sides (and present
 * in base, both parents and the merge) becomes bench/cases/<repo>-<sha>-<n>/{path,base,ours,theirs,expected}.
 * bench/cases/ is git-ignored: fetched code is never committed. Reads local git objects only; no network.
 * At most --per-merge files (default 8) come from one merge commit, so that one huge release merge does not
 * dominate a repository's cases. The repositories of the independent check (HELD_OUT) are refused.
 *
 * The corpus of docs/merge-driver.md: the fetched snapshots of expressjs/express, mochajs/mocha, Leaflet/Leaflet,
 * moment/moment, webpack/webpack, chartjs/Chart.js, socketio/socket.io and sequelize/sequelize, --max 400.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const args = process.argv.slice(2);
const maxIndex = args.indexOf("--max");
const maxPerRepo = maxIndex >= 0 ? Number(args.splice(maxIndex, 2)[1]) : 300;
const perMergeIndex = args.indexOf("--per-merge");
const maxPerMerge = perMergeIndex >= 0 ? Number(args.splice(perMergeIndex, 2)[1]) : 8;
const HELD_OUT = ["automattic+mongoose", "apollographql+apollo-client", "typeorm+typeorm", "knex+knex", "sindresorhus+ky", "pinojs+pino"];
if (args.length === 0) {
  process.stderr.write("usage: npx tsx scripts/fetch-merge-cases.ts <mirror git dir>… [--max N]\n");
  process.exit(2);
}
const OUT = resolve(import.meta.dirname, "../bench/cases");
const MAX_BYTES = 200_000;

const git = (dir: string, ...a: string[]): string => execFileSync("git", ["--git-dir", dir, ...a], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] });
const tryGit = (dir: string, ...a: string[]): string | undefined => {
  try {
    return git(dir, ...a);
  } catch {
    return undefined;
  }
};
const names = (dir: string, from: string, to: string): Set<string> => new Set(git(dir, "diff", "--name-only", "--no-renames", "-z", from, to).split("\0").filter(Boolean));

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
let total = 0;
for (const arg of args) {
  const dir = resolve(arg);
  const mirrorName = basename(dirname(dir));
  if (HELD_OUT.includes(mirrorName.toLowerCase())) {
    process.stderr.write(`${mirrorName}: skipped (a repository of the independent check)\n`);
    continue;
  }
  const repoName = mirrorName.replace(/[^A-Za-z0-9_.-]/g, "_");
  let written = 0;
  const merges = git(dir, "rev-list", "--merges", "--parents", "--all").split("\n").filter(Boolean);
  for (const line of merges) {
    if (written >= maxPerRepo) break;
    const [merge, p1, p2, extra] = line.split(" ");
    if (!merge || !p1 || !p2 || extra) continue;
    const bases = tryGit(dir, "merge-base", "--all", p1, p2)?.trim().split("\n").filter(Boolean) ?? [];
    if (bases.length !== 1) continue;
    const base = bases[0] as string;
    const o = names(dir, base, p1);
    const both = [...names(dir, base, p2)].filter((p) => o.has(p));
    let n = 0;
    for (const path of both) {
      if (n >= maxPerMerge || written >= maxPerRepo) break;
      const versions = [base, p1, p2, merge].map((rev) => tryGit(dir, "cat-file", "blob", `${rev}:${path}`));
      if (versions.some((v) => v === undefined || v.length > MAX_BYTES || v.includes("\0"))) continue;
      const [b, ours, theirs, expected] = versions as [string, string, string, string];
      const caseDir = join(OUT, `${repoName}-${merge.slice(0, 10)}-${n++}`);
      mkdirSync(caseDir, { recursive: true });
      writeFileSync(join(caseDir, "path"), `${path}\n`);
      writeFileSync(join(caseDir, "base"), b);
      writeFileSync(join(caseDir, "ours"), ours);
      writeFileSync(join(caseDir, "theirs"), theirs);
      writeFileSync(join(caseDir, "expected"), expected);
      written++;
    }
  }
  process.stderr.write(`${repoName}: ${written} cases from ${merges.length} merge commits\n`);
  total += written;
}
process.stderr.write(`${total} cases written to ${OUT}\n`);

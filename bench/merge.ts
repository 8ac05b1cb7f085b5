/**
 * `npm run bench -- merge`: kappa's per-file resolver (git's merge, then the structured strategies) against
 * `git merge-file` on real three-way merges. A case holds base/ours/theirs, the path, and the human resolution
 * (`expected`); a case without `expected` is a true conflict that must be given up. Synthetic cases are
 * committed under bench/merge-cases/; real ones come from `scripts/fetch-merge-cases.ts` into bench/cases/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gitMergeFile, mergeFileText } from "../src/conflict/index.js";
import { gitMergeRegions } from "../src/conflict/git-merge-file.js";
import type { Benchmark, Figure } from "./harness.js";

interface MergeCase {
  name: string;
  path: string;
  base: string;
  ours: string;
  theirs: string;
  expected: string | undefined;
}

/**
 * correct: equal to the human resolution after whitespace normalisation (line endings, trailing blanks on a
 * line, blank lines at the end). order: the same lines in another order, a kind of wrong merge counted apart
 * (inside wrong, as in the issue's table). wrong: anything else that differs. given-up: conflict left to a person.
 * JSON is judged as text too: keys in another order are `order`, not correct.
 */
type Verdict = "correct" | "order" | "wrong" | "given-up";

const ROOT = resolve(import.meta.dirname);

export function loadCases(dir: string): MergeCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "base")))
    .map((d) => {
      const at = (f: string): string => readFileSync(join(dir, d.name, f), "utf8");
      return {
        name: d.name,
        path: existsSync(join(dir, d.name, "path")) ? at("path").trim() : d.name,
        base: at("base"),
        ours: at("ours"),
        theirs: at("theirs"),
        expected: existsSync(join(dir, d.name, "expected")) ? at("expected") : undefined,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

export function judge(result: string | undefined, expected: string | undefined): Verdict {
  if (result === undefined) return "given-up";
  if (expected === undefined) return "wrong";
  const r = normaliseWhitespace(result);
  const e = normaliseWhitespace(expected);
  if (r === e) return "correct";
  const sorted = (t: string): string => JSON.stringify(t.split("\n").filter((l) => l !== "").sort());
  return sorted(r) === sorted(e) ? "order" : "wrong";
}

/**
 * wrong includes order (the same lines in another order is a wrong merge, listed apart) and outside: the human's
 * file does not keep what git merged cleanly around the conflicts (a line of one side reverted, an edit of the
 * human's own), so no resolver of git's conflict hunks could have matched it. Both are still wrong merges.
 */
type Tally = { correct: number; wrong: number; order: number; outside: number; "given-up": number };

const empty = (): Tally => ({ correct: 0, wrong: 0, order: 0, outside: 0, "given-up": 0 });

/** The human's file holds every region git merged cleanly, in order (the conflicts are resolved in between). */
export async function keepsCleanRegions(c: MergeCase, signal: AbortSignal): Promise<boolean> {
  const regions = await gitMergeRegions(c.base, c.ours, c.theirs, signal);
  if (!regions || c.expected === undefined) return true;
  const lines = normaliseWhitespace(c.expected).split("\n");
  let at = 0;
  for (const r of regions) {
    if (!r.stable) continue;
    const want = normaliseWhitespace(r.lines.join("")).split("\n");
    let found = -1;
    for (let i = at; i + want.length <= lines.length && found < 0; i++) if (want.every((l, j) => l === lines[i + j])) found = i;
    if (found < 0) return false;
    at = found + want.length;
  }
  return true;
}

function count(t: Tally, v: Verdict): void {
  if (v === "order") {
    t.order++;
    t.wrong++;
  } else t[v]++;
}

export interface MergeScore {
  conflicting: { cases: number; kappa: Tally; git: Tally };
  clean: { cases: number; kappa: Tally; git: Tally };
  /** Clean-for-git cases where git was correct and kappa was not. */
  worseThanGit: number;
  refusalsRight: number;
  ms: number;
}

export async function scoreCases(cases: readonly MergeCase[], log: (line: string) => void): Promise<MergeScore> {
  const signal = AbortSignal.timeout(1_800_000);
  const score: MergeScore = { conflicting: { cases: 0, kappa: empty(), git: empty() }, clean: { cases: 0, kappa: empty(), git: empty() }, worseThanGit: 0, refusalsRight: 0, ms: 0 };
  const started = performance.now();
  for (const c of cases) {
    const g = await gitMergeFile(c.base, c.ours, c.theirs, signal);
    const k = await mergeFileText(c.path, c.base, c.ours, c.theirs, signal, ["merge", "structured"]);
    const gv = judge(g.clean ? g.text : undefined, c.expected);
    const kv = judge(k.resolved ? k.content : undefined, c.expected);
    const row = g.clean ? score.clean : score.conflicting;
    row.cases++;
    count(row.git, gv);
    count(row.kappa, kv);
    if (!g.clean && (kv === "wrong" || kv === "order") && !(await keepsCleanRegions(c, signal))) row.kappa.outside++;
    if (g.clean && gv === "correct" && kv !== "correct") score.worseThanGit++;
    if (c.expected === undefined && kv === "given-up") score.refusalsRight++;
    if (kv === "wrong" || kv === "order") log(`${kv.toUpperCase()}  ${c.name} (${c.path}) via ${k.strategy ?? "?"}${g.clean ? " (clean for git)" : ""}`);
    else if (kv === "correct" && gv !== "correct") log(`better ${c.name} (${c.path}) via ${k.strategy ?? "?"}`);
  }
  score.ms = performance.now() - started;
  return score;
}

/** The table of docs/merge-driver.md. */
export function scoreTable(s: MergeScore): string[] {
  // "outside git's hunks" is counted for conflicting cases only (a clean merge has no hunks).
  const cell = (t: Tally, hunks = true): string => `${t.correct} | ${t.wrong} (${t.order} order only${hunks ? `, ${t.outside} outside git's hunks` : ""}) | ${t["given-up"]}`;
  return [
    "| cases | kappa correct | kappa wrong | kappa gave up | git merge-file correct | git wrong | git gave up |",
    "|---|---:|---:|---:|---:|---:|---:|",
    `| ${s.conflicting.cases} conflicting for git | ${cell(s.conflicting.kappa)} | ${cell(s.conflicting.git)} |`,
    `| ${s.clean.cases} clean for git | ${cell(s.clean.kappa, false)} | ${cell(s.clean.git, false)} |`,
  ];
}

export const mergeBenchmarks: Benchmark[] = [
  {
    name: "merge",
    description: "kappa's resolver vs git merge-file on three-way merges (synthetic + fetched real cases)",
    async run(log) {
      const synthetic = loadCases(join(ROOT, "merge-cases"));
      const real = loadCases(join(ROOT, "cases"));
      if (real.length === 0) log("no real cases in bench/cases (run `npx tsx scripts/fetch-merge-cases.ts <mirror git dir>…`): synthetic cases only");
      const figures: Figure[] = [];
      for (const [label, cases] of [["synthetic", synthetic], ["real", real]] as const) {
        if (cases.length === 0) continue;
        const r = await scoreCases(cases, (l) => log(`[${label}] ${l}`));
        log(`${label}: ${cases.length} cases, ${(r.ms / cases.length).toFixed(1)} ms/case; true conflicts correctly given up: ${r.refusalsRight}`);
        for (const line of scoreTable(r)) log(line);
        const id = label === "synthetic" ? "MS" : "MR";
        const k = r.conflicting.kappa;
        figures.push(
          { id: `${id}1`, name: `${label}: kappa correct on cases git conflicts`, value: k.correct, note: `of ${r.conflicting.cases}; git: 0` },
          { id: `${id}2`, name: `${label}: kappa wrong on cases git conflicts`, value: k.wrong, goal: { op: "<=", target: 0 }, note: `same lines in another order: ${k.order}; the human changed what git merged cleanly: ${k.outside}; given up: ${k["given-up"]}` },
          { id: `${id}3`, name: `${label}: share of git's conflicts kappa resolves correctly`, value: r.conflicting.cases === 0 ? 0 : k.correct / r.conflicting.cases, ...(label === "real" ? { goal: { op: ">=" as const, target: 0.2 } } : {}) },
          { id: `${id}4`, name: `${label}: clean cases where kappa is worse than git`, value: r.worseThanGit, goal: { op: "<=", target: 0 }, note: `clean for git: ${r.clean.cases}; kappa correct ${r.clean.kappa.correct}, git correct ${r.clean.git.correct}` },
        );
      }
      return figures;
    },
  },
];

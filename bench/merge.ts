/**
 * `npm run bench -- merge`: kappa's per-file resolver (git's merge, then the structured strategies) against
 * `git merge-file` on real three-way merges. A case holds base/ours/theirs, the path, and the human resolution
 * (`expected`); a case without `expected` is a true conflict that must be given up. Synthetic cases are
 * committed under bench/merge-cases/; real ones come from `scripts/fetch-merge-cases.ts` into bench/cases/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gitMergeFile, mergeFileText } from "../src/conflict/index.js";
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
 * correct: equals the human resolution. equivalent: the same lines, in another order or with other blank lines
 * (e.g. two changelog entries, theirs first). human-edit: the human's commit contains lines found in none of the
 * three sides (an "evil merge": no resolver can reproduce it). wrong: anything else that differs.
 */
type Verdict = "correct" | "equivalent" | "human-edit" | "wrong" | "given-up";

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

/** Exact text equality; for JSON files, equal documents (key order is not meaning) also count as correct. */
function judge(result: string | undefined, expected: string | undefined, path: string, c: MergeCase): Verdict {
  if (result === undefined) return "given-up";
  if (result === expected) return "correct";
  if (expected !== undefined) {
    const lines = (t: string): string[] => t.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
    if (JSON.stringify(lines(result).sort()) === JSON.stringify(lines(expected).sort())) return "equivalent";
    const known = new Set([...lines(c.base), ...lines(c.ours), ...lines(c.theirs)]);
    if (lines(expected).some((l) => !known.has(l))) return "human-edit";
  }
  if (expected !== undefined && path.endsWith(".json")) {
    try {
      if (JSON.stringify(sortKeys(JSON.parse(result))) === JSON.stringify(sortKeys(JSON.parse(expected)))) return "correct";
    } catch {
      return "wrong";
    }
  }
  return "wrong";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

type Tally = Record<Verdict, number>;

const empty = (): Tally => ({ correct: 0, equivalent: 0, "human-edit": 0, wrong: 0, "given-up": 0 });

export async function scoreCases(cases: readonly MergeCase[], log: (line: string) => void): Promise<{ kappa: Tally; git: Tally; kappaOnConflicts: Tally; gitConflicts: number; refusalsRight: number; ms: number }> {
  const signal = AbortSignal.timeout(600_000);
  const kappa = empty();
  const git = empty();
  const kappaOnConflicts = empty();
  let gitConflicts = 0;
  let refusalsRight = 0;
  const started = performance.now();
  for (const c of cases) {
    const g = await gitMergeFile(c.base, c.ours, c.theirs, signal);
    const k = await mergeFileText(c.path, c.base, c.ours, c.theirs, signal, ["merge", "structured"]);
    const gv = judge(g.clean ? g.text : undefined, c.expected, c.path, c);
    const kv = judge(k.resolved ? k.content : undefined, c.expected, c.path, c);
    git[gv]++;
    kappa[kv]++;
    if (!g.clean) {
      gitConflicts++;
      kappaOnConflicts[kv]++;
    }
    if (c.expected === undefined && kv === "given-up") refusalsRight++;
    if (kv === "wrong" || kv === "equivalent" || (kv === "human-edit" && !g.clean)) log(`${kv.toUpperCase()}  ${c.name} (${c.path}) via ${k.strategy ?? "?"}`);
    else if (kv === "correct" && gv !== "correct") log(`better ${c.name} (${c.path}) via ${k.strategy ?? "?"}`);
  }
  return { kappa, git, kappaOnConflicts, gitConflicts, refusalsRight, ms: performance.now() - started };
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
        log(`${label}: ${cases.length} cases, ${r.gitConflicts} conflicting for git; kappa ${JSON.stringify(r.kappa)}, git ${JSON.stringify(r.git)}; true conflicts correctly given up ${r.refusalsRight}; ${(r.ms / cases.length).toFixed(1)} ms/case`);
        const id = label === "synthetic" ? "MS" : "MR";
        figures.push(
          { id: `${id}1`, name: `${label}: kappa correct on cases git conflicts`, value: r.kappaOnConflicts.correct, note: `git: 0 of ${r.gitConflicts}` },
          { id: `${id}2`, name: `${label}: kappa wrong on cases git conflicts`, value: r.kappaOnConflicts.wrong, goal: { op: "<=", target: 0 }, note: `given up there: ${r.kappaOnConflicts["given-up"]}; same lines in another order: ${r.kappaOnConflicts.equivalent}; human edited beyond both sides: ${r.kappaOnConflicts["human-edit"]}` },
          { id: `${id}6`, name: `${label}: kappa wrong overall`, value: r.kappa.wrong, note: `git wrong: ${r.git.wrong}; human edited beyond both sides: kappa ${r.kappa["human-edit"]}, git ${r.git["human-edit"]}` },
          { id: `${id}3`, name: `${label}: kappa correct`, value: r.kappa.correct, note: `git correct: ${r.git.correct} of ${cases.length}` },
          { id: `${id}4`, name: `${label}: kappa given up`, value: r.kappa["given-up"], note: `git given up: ${r.git["given-up"]}; true conflicts among them: ${r.refusalsRight}` },
          { id: `${id}5`, name: `${label}: kappa correct minus git correct`, value: r.kappa.correct - r.git.correct, goal: { op: ">=", target: label === "synthetic" ? 1 : 0 } },
        );
      }
      return figures;
    },
  },
];

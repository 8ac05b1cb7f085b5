/**
 * Regenerates public specifications for `npm run bench -- planner` from already-fetched public repositories:
 *   npx tsx scripts/fetch-planner-specs.ts [mirror root]      (default /work/.mirror)
 * Copies the spec-like Markdown files listed below from each mirror's newest commit into
 * bench/planner-corpus/fetched/ (git-ignored: fetched text is never committed). Local git objects only.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Public specs and PRDs: mirror directory name → files in it. */
const SOURCES: Record<string, string[]> = {
  "tastejs+todomvc": ["app-spec.md"],
  "gothinkster+realworld": [
    "apps/documentation/src/content/docs/specifications/backend/endpoints.md",
    "apps/documentation/src/content/docs/specifications/frontend/routing.md",
    "apps/documentation/src/content/docs/implementation-creation/features.md",
  ],
};

const root = resolve(process.argv[2] ?? "/work/.mirror");
const OUT = resolve(import.meta.dirname, "../bench/planner-corpus/fetched");
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
let written = 0;
for (const [mirror, files] of Object.entries(SOURCES)) {
  const gitDir = join(root, mirror, "repo");
  if (!existsSync(gitDir)) {
    process.stderr.write(`skipped ${mirror}: no mirror at ${gitDir} (bring it with the fetch tool first)\n`);
    continue;
  }
  for (const path of files) {
    try {
      const text = execFileSync("git", ["--git-dir", gitDir, "show", `HEAD:${path}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const name = `${mirror}--${path.replace(/[^A-Za-z0-9.-]+/g, "_")}`;
      writeFileSync(join(OUT, name), text);
      written++;
    } catch {
      process.stderr.write(`skipped ${mirror}:${path}: not in the newest commit\n`);
    }
  }
}
process.stderr.write(`${written} public specs written to ${OUT}\n`);

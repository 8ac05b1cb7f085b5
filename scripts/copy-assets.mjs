// Copies the non-TypeScript files that kappa reads at run time (SQL migrations, simulator scenarios, the git spawner) to dist/.
import { cpSync, existsSync } from "node:fs";

for (const dir of ["knowledge/migrations", "simulator/scenarios", "workspace/git-spawner.mjs"]) {
  if (existsSync(`src/${dir}`)) cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}

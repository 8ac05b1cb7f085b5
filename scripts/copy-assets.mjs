// Copies the non-TypeScript files that kappa reads at run time (SQL migrations, simulator scenarios) to dist/.
import { cpSync, existsSync } from "node:fs";

for (const dir of ["knowledge/migrations", "simulator/scenarios"]) {
  if (existsSync(`src/${dir}`)) cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}

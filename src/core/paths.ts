/** Where kappa keeps its files inside a project. */
import { join } from "node:path";

export interface ProjectPaths {
  root: string;
  kappaDir: string;
  configFile: string;
  logsDir: string;
  pgDir: string;
  worktreesDir: string;
  sessionsDir: string;
}

export function projectPaths(root: string): ProjectPaths {
  const kappaDir = join(root, ".kappa");
  return {
    root,
    kappaDir,
    configFile: join(kappaDir, "config.yaml"),
    logsDir: join(kappaDir, "logs"),
    pgDir: join(kappaDir, "pg"),
    worktreesDir: join(kappaDir, "worktrees"),
    sessionsDir: join(kappaDir, "sessions"),
  };
}

import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { InputError, projectPaths } from "../../core/index.js";
import { ensureProject } from "../../knowledge/index.js";
import { findRepoRoot } from "../../workspace/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine } from "../output.js";

const CONFIG_TEMPLATE = `# kappa project configuration. Every key is optional; see README.md for all keys and defaults.
# Precedence: command-line flags > KAPPA_* environment variables > this file > defaults.

# maxParallelSessions: 5        # Claude Code sessions at once
# sessionTimeout: 3600          # seconds per session
# model: claude-sonnet-4-5
# setupCommand: npm ci          # run in each new task worktree
# testCommand: npm test         # verification gate after merges
# copyFiles: [.env]             # untracked files copied into each worktree
`;

/** Everything under .kappa/ is runtime state except the configuration. */
const KAPPA_GITIGNORE = `# kappa runtime state (database, logs, worktrees, session homes)
*
!.gitignore
!config.yaml
`;

const CLAUDE_MD_TEMPLATE = `# Project conventions

Claude Code sessions started by kappa read this file. Keep it short and true.

- Language, framework and versions: …
- How to build: …
- How to test: …
- Code style: …
- Do not touch: …
`;

/**
 * Creates what kappa keeps in a project (.kappa/ with its ignore file and config template, optionally a
 * CLAUDE.md template); never overwrites. Returns the paths created.
 */
export function ensureKappaFiles(root: string, options: { claudeMd: boolean }): string[] {
  const paths = projectPaths(root);
  const created: string[] = [];
  const createIfAbsent = (path: string, content: string): void => {
    if (existsSync(path)) return;
    writeFileSync(path, content);
    created.push(path.slice(root.length + 1));
  };
  if (!existsSync(paths.kappaDir)) {
    mkdirSync(paths.kappaDir, { recursive: true });
    created.push(".kappa/");
  }
  createIfAbsent(join(paths.kappaDir, ".gitignore"), KAPPA_GITIGNORE);
  createIfAbsent(paths.configFile, CONFIG_TEMPLATE);
  if (options.claudeMd) createIfAbsent(join(root, "CLAUDE.md"), CLAUDE_MD_TEMPLATE);
  return created;
}

export function registerInit(program: Command, { action }: CommandHelpers): void {
  program
    .command("init")
    .description("set up kappa in a git repository: .kappa/ (config, ignores), CLAUDE.md template, database")
    .option("--name <name>", "project name (default: the directory name)")
    .addHelpText("after", "\nRunning it again changes nothing that exists.\n\nExample:\n  kappa init --name shop-api")
    .action(
      action(async (ctx, opts: { name?: string }) => {
        const root = await findRepoRoot(ctx.paths.root);
        if (root !== realpathSync(ctx.paths.root)) { // git prints the real path: --project may go through a symlink
          throw new InputError(`${ctx.paths.root} is inside the git repository ${root}, not at its top`, {
            hint: `run kappa init in ${root} (or pass --project ${root})`,
          });
        }
        const name = opts.name ?? basename(root);
        if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/.test(name)) {
          throw new InputError(`invalid project name "${name}"`, { hint: "use 1-80 letters, digits, spaces, '.', '_' or '-'" });
        }
        const created = ensureKappaFiles(root, { claudeMd: true });
        const db = await ctx.db();
        const project = await ensureProject(db.pool, root, name);
        if (ctx.json) {
          printJson({ project: { id: project.id, name: project.name, root }, created, database: db.displayUrl, embedded: Boolean(db.embedded), ...(db.embedded ? { dataDir: db.embedded.dataDir } : {}) });
        } else {
          printLine(created.length > 0 ? `created ${created.join(", ")}` : "nothing to create: kappa is already set up here");
          printLine(`project ${project.name} (${project.id}), database ${db.embedded ? `embedded, data in ${db.embedded.dataDir}` : db.displayUrl}`);
          printLine("next: write a spec, then `kappa plan --spec SPEC.md`");
        }
        return 0;
      }),
    );
}

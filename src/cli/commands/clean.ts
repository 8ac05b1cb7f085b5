import { relative } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../core/index.js";
import { activeRunIds } from "../../knowledge/index.js";
import { assertRunId, cleanLeftovers, findLeftovers, findRepoRoot, type KeptItem } from "../../workspace/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine, style } from "../output.js";

const LABEL = "would remove".length;

interface CleanFlags {
  run?: string;
  dryRun?: boolean;
  branches?: boolean;
}

export function registerClean(program: Command, { action }: CommandHelpers): void {
  program
    .command("clean")
    .description("remove worktrees and branches left by finished or crashed runs, keeping anything that holds work")
    .option("--run <id>", "only this run's leftovers")
    .option("--dry-run", "show what would be removed, remove nothing")
    .option("--branches", "also delete integration branches already merged into your current branch")
    .addHelpText(
      "after",
      `
A worktree is removed only when it has no uncommitted changes (its commits stay on its branch); a task branch
only when its commits are in its run's integration branch. Runs still in progress are never touched.
Everything kept is listed with the reason and what to do.

Examples:
  kappa clean --dry-run        see what would be removed
  kappa clean --run r-42       clean one run
  kappa clean --branches       also drop integration branches you have merged`,
    )
    .action(
      action(async (ctx, opts: CleanFlags) => {
        if (opts.run !== undefined) assertRunId(opts.run);
        const repo = await findRepoRoot(ctx.paths.root);
        const controller = new AbortController();
        const onSigint = (): void => controller.abort(new Error("interrupted"));
        process.once("SIGINT", onSigint);
        try {
          const db = await ctx.db();
          const active = await activeRunIds(db.pool, repo);
          if (opts.run !== undefined && active.has(opts.run)) {
            throw new InputError(`run ${opts.run} is still running`, { hint: `wait for it to finish, or stop it with \`kappa cancel ${opts.run}\`, then run kappa clean again` });
          }
          const leftovers = await findLeftovers({ repo, activeRunIds: active, runId: opts.run, signal: controller.signal });
          const dryRun = opts.dryRun === true;
          const result = await cleanLeftovers(leftovers, { dryRun, branches: opts.branches === true, signal: controller.signal });
          const show = (p: string): string => (p.startsWith(`${repo}/`) ? relative(repo, p) : p);
          if (ctx.json) {
            printJson({
              dryRun,
              activeRuns: [...active].sort(),
              removed: result.removed.map(show),
              kept: result.kept.map((k) => ({ ...k, path: show(k.path) })),
            });
            return 0;
          }
          const s = style(ctx.color);
          if (result.removed.length === 0 && result.kept.length === 0) {
            printLine("nothing to clean");
          }
          for (const path of result.removed) printLine(`${s.green((dryRun ? "would remove" : "removed").padEnd(LABEL))}  ${show(path)}`);
          for (const item of result.kept) printKept(item, show, s);
          if (active.size > 0) printLine(s.dim(`left alone: ${active.size} run${active.size === 1 ? "" : "s"} in progress (${[...active].sort().join(", ")})`));
          if (dryRun && result.removed.length > 0) printLine(s.dim("dry run: nothing was removed; run kappa clean without --dry-run to remove these"));
          return 0;
        } finally {
          process.off("SIGINT", onSigint);
        }
      }),
    );
}

function printKept(item: KeptItem, show: (p: string) => string, s: ReturnType<typeof style>): void {
  printLine(`${s.yellow("kept".padEnd(LABEL))}  ${show(item.path)}: ${item.reason}`);
  if (item.hint) printLine(`${" ".repeat(LABEL + 2)}${s.dim(`fix: ${item.hint}`)}`);
}

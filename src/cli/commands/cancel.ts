import type { Command } from "commander";
import { isRunAlive, requestCancel, setRunStatus } from "../../knowledge/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine } from "../output.js";
import { lookupRun } from "../run-lookup.js";

export function registerCancel(program: Command, { action }: CommandHelpers): void {
  program
    .command("cancel <run>")
    .description("stop a run from another terminal: running sessions are aborted, finished work is kept; `kappa resume` continues it")
    .addHelpText("after", "\nExample:\n  kappa cancel 20261125-a1b2c3")
    .action(
      action(async (ctx, runArg: string) => {
        const db = await ctx.db();
        const run = await lookupRun(db, ctx.paths.root, runArg);
        if (!["running", "pending", "waiting", "stopped"].includes(run.status)) {
          if (ctx.json) printJson({ runId: run.id, status: run.status, cancelled: false });
          else printLine(`run ${run.id} is already ${run.status}; nothing to cancel`);
          return 0;
        }
        await requestCancel(db.pool, run.id);
        const live = isRunAlive(run);
        if (!live) await setRunStatus(db.pool, run.id, "cancelled");
        if (ctx.json) printJson({ runId: run.id, cancelled: true, live });
        else printLine(live ? `cancel requested: ${run.owner ?? "the orchestrator"} stops run ${run.id} within a few seconds` : `run ${run.id} cancelled`);
        return 0;
      }),
    );
}

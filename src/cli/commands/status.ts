import type { Command } from "commander";
import { printable } from "../../core/index.js";
import { costByTask, isRunAlive, listRuns, listTasks, projectIdFor } from "../../knowledge/index.js";
import { findRepoRoot } from "../../workspace/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine, style, table } from "../output.js";
import { formatDuration } from "../progress.js";
import { lookupRun } from "../run-lookup.js";

export function registerStatus(program: Command, { action }: CommandHelpers): void {
  program
    .command("status [run]")
    .description("show a run's progress: run state and, per task, state, attempts, duration, cost (default: the latest run)")
    .option("--all", "list the project's recent runs instead")
    .addHelpText("after", "\nExamples:\n  kappa status\n  kappa status 20261125-a1b2c3 --json\n  kappa status --all")
    .action(
      action(async (ctx, runArg: string | undefined, opts: { all?: boolean }) => {
        const db = await ctx.db();
        if (opts.all) {
          const runs = await listRuns(db.pool, projectIdFor(await findRepoRoot(ctx.paths.root)));
          if (ctx.json) printJson({ runs: runs.map((r) => ({ id: r.id, status: r.status, tasks: r.plan.tasks.length, createdAt: r.createdAt })) });
          else printLine(table(runs.map((r) => [r.id, r.status, String(r.plan.tasks.length), r.createdAt.toISOString()]), ["RUN", "STATUS", "TASKS", "CREATED"]));
          return 0;
        }
        const run = await lookupRun(db, ctx.paths.root, runArg);
        const tasks = await listTasks(db.pool, run.id);
        const costs = new Map((await costByTask(db.pool, run.id)).map((c) => [c.taskId, c.costUsd]));
        const live = isRunAlive(run);
        const status = run.status === "running" && !live ? "interrupted" : run.status;
        if (ctx.json) {
          printJson({
            run: { id: run.id, status, integrationBranch: run.integrationBranch, baseCommit: run.baseCommit, owner: live ? run.owner : null, createdAt: run.createdAt, finishedAt: run.finishedAt, summary: run.summary, options: run.options },
            tasks: tasks.map((t) => ({ id: t.id, title: t.title, status: t.status, attempts: t.attempts, dependsOn: t.dependsOn, durationMs: t.durationMs, costUsd: costs.get(t.id) ?? 0, reason: t.reason, branch: t.branch, mergeCommit: t.mergeCommit, mergeStrategy: t.mergeStrategy })),
          });
          return 0;
        }
        const s = style(ctx.color);
        const counts = new Map<string, number>();
        for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
        printLine(`${s.bold(`run ${run.id}`)}  ${status}${run.options.simulate ? s.yellow("  (simulated model)") : ""}${run.options.noSandbox ? s.yellow("  (no sandbox: sessions ran unconfined)") : ""}`);
        printLine(`  ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}; integration branch ${run.integrationBranch ?? "(not created yet)"}`);
        const total = [...costs.values()].reduce((a, b) => a + b, 0);
        printLine(`  cost $${total.toFixed(4)}${live ? `; driven by ${run.owner ?? "?"}` : ""}`);
        printLine("");
        printLine(
          table(
            tasks.map((t) => [t.id, colorStatus(t.status, s), String(t.attempts), t.durationMs ? formatDuration(t.durationMs) : "-", `$${(costs.get(t.id) ?? 0).toFixed(4)}`, printable(t.reason ?? "", { oneLine: true })]),
            ["TASK", "STATUS", "ATTEMPTS", "DURATION", "COST", "NOTE"],
          ),
        );
        if (status === "interrupted" || status === "stopped" || status === "waiting") printLine(`\ncontinue with: kappa resume ${run.id}`);
        return 0;
      }),
    );
}

function colorStatus(status: string, s: ReturnType<typeof style>): string {
  if (status === "merged") return s.green(status);
  if (status === "failed") return s.red(status);
  if (status === "skipped" || status === "waiting") return s.yellow(status);
  return status;
}

import type { Command } from "commander";
import { renderMermaid } from "../../decomposition/index.js";
import { pipelineMermaid } from "../../graph/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine } from "../output.js";
import { lookupRun } from "../run-lookup.js";

export function registerGraph(program: Command, { action }: CommandHelpers): void {
  program
    .command("graph")
    .description("print Mermaid diagrams: the pipeline, and the task DAG of a run")
    .option("--run <run>", "the run whose tasks to draw (default: the latest, if any)")
    .option("--pipeline-only", "only the pipeline")
    .addHelpText("after", "\nExample:\n  kappa graph --run 20261125-a1b2c3 > graph.md")
    .action(
      action(async (ctx, opts: { run?: string; pipelineOnly?: boolean }) => {
        const pipeline = pipelineMermaid();
        let tasks: string | undefined;
        if (!opts.pipelineOnly) {
          const db = await ctx.db();
          const run = await lookupRun(db, ctx.paths.root, opts.run).catch((error: unknown) => {
            if (opts.run) throw error;
            return undefined;
          });
          if (run) tasks = renderMermaid(run.plan);
        }
        if (ctx.json) printJson({ pipeline, tasks: tasks ?? null });
        else {
          printLine("```mermaid");
          printLine(pipeline.trim());
          printLine("```");
          if (tasks) {
            printLine("\n```mermaid");
            printLine(tasks.trim());
            printLine("```");
          }
        }
        return 0;
      }),
    );
}

import { resolve as resolvePath } from "node:path";
import { Option, type Command } from "commander";
import { UsageError } from "../../core/index.js";
import { heuristicPlan, loadPlanFile, planAsClaudeAnswer, readSpecFile } from "../../decomposition/index.js";
import { assertRepositoryHasCommit, createRun, planRun, RunControl, startRun, type DriveResult } from "../../graph/index.js";
import type { RunOptions, RunRow } from "../../knowledge/index.js";
import { findRepoRoot } from "../../workspace/index.js";
import type { CliContext } from "../context.js";
import type { CommandHelpers } from "../program.js";
import { printLine, style } from "../output.js";
import { attachNdjson, attachProgress, formatDuration } from "../progress.js";
import { lookupRun, newRunId } from "../run-lookup.js";
import { assertSandboxReady, setupAgents } from "../session-setup.js";
import { ensureKappaFiles } from "./init.js";

interface RunFlags {
  spec?: string;
  plan?: string;
  maxParallel?: string;
  schedule?: "dag" | "waves";
  simulate?: string | boolean;
  mergeTo?: string;
  planner?: "auto" | "heuristic" | "claude";
  serializeOverlaps?: boolean;
  verbose?: boolean;
  /** false with `--no-sandbox`. */
  sandbox?: boolean;
}

export function registerRun(program: Command, { action }: CommandHelpers): void {
  program
    .command("run")
    .description("plan a spec (or take a plan) and build it: parallel sessions in worktrees, merged into kappa/<run>/main")
    .option("--spec <file>", "specification to decompose (Markdown or text)")
    .option("--plan <file>", "plan written by `kappa plan --out` (instead of --spec)")
    .option("-n, --max-parallel <n>", "sessions at once (default: maxParallelSessions, 5)")
    .addOption(new Option("--schedule <policy>", "dag: start tasks as soon as their dependencies are merged; waves: wait for whole waves").choices(["dag", "waves"]))
    .option("--simulate [scenario]", "run offline against kappa's simulated model (a scenario file, or the default one)")
    .option("--merge-to <branch>", "fast-forward this branch of yours to the result when the run completes")
    .addOption(new Option("--planner <planner>", "who decomposes the spec").choices(["auto", "heuristic", "claude"]))
    .option("--serialize-overlaps", "order tasks that are predicted to edit the same files")
    .option("--no-sandbox", "run sessions without the OS sandbox (recorded in the run and shown in its summary)")
    .option("-v, --verbose", "also show each session's tool calls")
    .addHelpText(
      "after",
      `
Ctrl-C once stops starting tasks and lets running ones finish; twice aborts them. Either way
\`kappa resume <run>\` continues later without re-running finished tasks.

Examples:
  kappa run --spec SPEC.md --simulate          offline, with the simulated model
  kappa run --plan plan.yaml -n 8 --json       8 sessions, NDJSON events on stdout
  kappa run --spec SPEC.md --merge-to main     fast-forward main to the result`,
    )
    .action(
      action(
        async (ctx, flags: RunFlags) => planAndRun(ctx, flags),
        (flags: RunFlags) => ({
          maxParallelSessions: flags.maxParallel,
          schedule: flags.schedule,
          simulate: flags.simulate === true ? "default" : flags.simulate,
          planner: flags.planner,
        }),
      ),
    );

  program
    .command("resume <run>")
    .description("continue a run after a crash, Ctrl-C, cancel or a resolved conflict; finished tasks are not run again")
    .option("-v, --verbose", "also show each session's tool calls")
    .addHelpText("after", "\nExample:\n  kappa resume 20261125-a1b2c3")
    .action(
      action(async (ctx, runArg: string, flags: { verbose?: boolean }) => {
        const db = await ctx.db();
        const run = await lookupRun(db, ctx.paths.root, runArg);
        return execute(ctx, run, flags.verbose ?? false);
      }),
    );
}

async function planAndRun(ctx: CliContext, flags: RunFlags): Promise<number> {
  if (Boolean(flags.spec) === Boolean(flags.plan)) {
    throw new UsageError(flags.spec ? "give either --spec or --plan, not both" : "nothing to run: give --spec <file> or --plan <file>", {
      hint: "e.g. kappa run --spec SPEC.md --simulate",
    });
  }
  const repo = await findRepoRoot(ctx.paths.root);
  await assertRepositoryHasCommit(repo);
  const { config } = ctx;
  const noSandbox = flags.sandbox === false;
  assertSandboxReady(ctx.env, noSandbox);
  const runId = newRunId();
  const specText = flags.spec ? readSpecFile(flags.spec, config.specMaxBytes) : undefined;
  // A plan file is checked before anything starts (the simulator, sessions): bad input is refused silently.
  const filePlan = flags.plan ? loadPlanFile(flags.plan) : undefined;
  // The simulated model answers the planner with what the offline planner would say: computed first, so that
  // a spec nothing can be planned from is refused before the simulator and its sessions start.
  const simulatedAnswer = specText !== undefined && config.simulate ? planAsClaudeAnswer(heuristicPlan(specText, { specPath: flags.spec })) : undefined;
  const detach = attachOutput(ctx, runId, flags.verbose ?? false, Boolean(config.simulate));
  const agents = await setupAgents(ctx, {
    simulate: config.simulate,
    noSandbox,
    structuredOutput: simulatedAnswer !== undefined ? () => simulatedAnswer : undefined,
  });
  try {
    const { plan, planner } = await planRun({
      repo,
      runId,
      config,
      bus: ctx.bus,
      plan: filePlan,
      specText,
      specPath: flags.spec,
      runStructured: agents.runStructured,
      serializeOverlaps: flags.serializeOverlaps,
      signal: AbortSignal.timeout(10 * 60_000),
    });
    ensureKappaFiles(repo, { claudeMd: false });
    const options: RunOptions = {
      maxParallel: config.maxParallelSessions,
      schedule: config.schedule,
      // Stored for `kappa resume`, which may run from another directory.
      simulate: config.simulate && config.simulate !== "default" ? resolvePath(config.simulate) : config.simulate,
      mergeTo: flags.mergeTo,
      planner,
      serializeOverlaps: flags.serializeOverlaps,
      ...(noSandbox ? { noSandbox: true } : {}),
    };
    const run = await createRun({ db: await ctx.db(), repo, runId, specPath: flags.spec, plan, options });
    return await execute(ctx, run, flags.verbose ?? false, agents);
  } finally {
    detach();
    await agents.close();
  }
}

async function execute(ctx: CliContext, run: RunRow, verbose: boolean, existing?: Awaited<ReturnType<typeof setupAgents>>): Promise<number> {
  const repo = await findRepoRoot(ctx.paths.root);
  if (!existing) assertSandboxReady(ctx.env, run.options.noSandbox === true, run.id);
  const agents = existing ?? (await setupAgents(ctx, { simulate: run.options.simulate, structuredOutput: undefined, noSandbox: run.options.noSandbox }));
  const control = new RunControl();
  const detach = existing ? () => undefined : attachOutput(ctx, run.id, verbose, Boolean(run.options.simulate));
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      control.stop("Ctrl-C: no new tasks start; running ones finish (Ctrl-C again aborts them)");
      process.stderr.write("\nstopping: running tasks finish, no new ones start; press Ctrl-C again to abort them\n");
    } else control.abort("Ctrl-C twice: running sessions aborted");
  };
  const onSigterm = (): void => control.abort("terminated (SIGTERM)");
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  try {
    const db = await ctx.db();
    const result = await startRun({ db, config: ctx.config, bus: ctx.bus, logger: ctx.logger, scrubber: ctx.scrubber, repo, runId: run.id, driver: agents.driver, accounts: agents.accounts, control });
    if (!ctx.json) report(ctx, run, result);
    return result.kind === "finished" && result.summary.status === "completed" ? 0 : 1;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    detach();
    if (!existing) await agents.close();
  }
}

function attachOutput(ctx: CliContext, runId: string, verbose: boolean, simulated: boolean): () => void {
  if (ctx.json) return attachNdjson(ctx.bus, (s) => ctx.scrubber.text(s), runId);
  return attachProgress(ctx.bus, { color: Boolean(process.stderr.isTTY) && ctx.color, verbose, simulated });
}

function report(ctx: CliContext, run: RunRow, result: DriveResult): void {
  const s = style(ctx.color);
  printLine("");
  if (result.kind === "stopped") {
    printLine(s.yellow(`run ${run.id} ${result.cancelled ? "cancelled" : "stopped"}: ${result.reason}`));
    printLine(`finished tasks are kept; continue with: kappa resume ${run.id}`);
    return;
  }
  if (result.kind === "waiting") {
    printLine(s.yellow(`run ${run.id} is waiting for you: ${result.conflictIds.length} merge conflict(s) need a decision`));
    printLine(`  kappa conflicts --run ${run.id}`);
    printLine(`  kappa resolve --conflict ${result.conflictIds[0] ?? "<id>"} --ours|--theirs|--file <path>|--edit`);
    printLine(`  kappa resume ${run.id}`);
    return;
  }
  const sum = result.summary;
  const label = sum.status === "completed" ? s.green("completed") : sum.status === "partial" ? s.yellow("partial") : s.red("failed");
  printLine(`${s.bold(`run ${run.id}`)} ${label}${run.options.simulate ? s.yellow(" (simulated model)") : ""}${run.options.noSandbox ? s.yellow(" (no sandbox)") : ""}`);
  printLine(`  merged   ${sum.merged.length}${sum.merged.length > 0 ? s.dim(`  ${sum.merged.join(", ")}`) : ""}`);
  if (sum.failed.length > 0) printLine(s.red(`  failed   ${sum.failed.length}  ${sum.failed.join(", ")}`));
  if (sum.skipped.length > 0) printLine(s.yellow(`  skipped  ${sum.skipped.length}  ${sum.skipped.join(", ")}`));
  if (sum.conflicts.length > 0) printLine(s.yellow(`  conflict ${sum.conflicts.length}  ${sum.conflicts.join(", ")}`));
  printLine(`  cost     $${sum.costUsd.toFixed(4)}`);
  printLine(`  time     ${formatDuration(sum.makespanMs)} (serial work ${formatDuration(sum.serialMs)}, speedup ${sum.speedup.toFixed(1)}x)`);
  printLine(`  result   branch ${sum.integrationBranch}  (git log ${sum.integrationBranch}; git merge ${sum.integrationBranch})`);
  if (sum.mergedTo) printLine(`  merge-to ${sum.mergedTo.branch}: ${sum.mergedTo.status}${sum.mergedTo.reason ? ` — ${sum.mergedTo.reason}` : ""}`);
  if (sum.failed.length > 0) printLine(`  details  kappa status ${run.id}; kappa logs --run ${run.id} --task ${sum.failed[0] ?? ""}`);
}

import { closeSync, existsSync, openSync, renameSync, writeSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Option, type Command } from "commander";
import { InputError, UsageError } from "../../core/index.js";
import {
  forecast,
  heuristicPlan,
  planAsClaudeAnswer,
  loadPlanFile,
  planSpec,
  planToJson,
  planToYaml,
  readSpecFile,
  renderForecast,
  renderMermaid,
  renderPlanTable,
  resolvePlan,
  type RunStructured,
} from "../../decomposition/index.js";
import type { CommandHelpers } from "../program.js";
import { printErr, printJson, printLine, style } from "../output.js";
import { setupAgents } from "../session-setup.js";

interface PlanFlags {
  spec?: string;
  plan?: string;
  out?: string;
  force?: boolean;
  format: "table" | "mermaid" | "yaml";
  planner?: "heuristic" | "claude" | "auto";
  maxParallel?: string;
  simulate?: string | boolean;
}

/** Writes through a temporary file and a rename: an interrupted write never leaves half a plan behind. */
function writeAtomically(path: string, content: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw new InputError(`cannot write ${path}: ${(error as Error).message}`, { hint: "check that its folder exists and is writable", cause: error });
  }
}

function parseSessions(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--max-parallel must be a whole number from 1 to 64, not "${value}"`, { hint: "e.g. -n 8" });
  return n;
}

export function registerPlan(program: Command, { action }: CommandHelpers): void {
  program
    .command("plan")
    .description("decompose a spec into a task DAG and forecast the run (dry run: nothing is executed or stored)")
    .option("--spec <file>", "the specification (Markdown or plain text)")
    .option("--plan <file>", "show and check an existing plan file instead of a spec")
    .option("--out <file>", "write the plan as editable YAML (for `kappa run --plan`)")
    .option("--force", "overwrite the --out file if it exists")
    .addOption(new Option("--format <format>", "output format").choices(["table", "mermaid", "yaml"]).default("table"))
    .addOption(new Option("--planner <planner>", "who decomposes the spec (default: claude when an API key or --simulate is available, else heuristic)").choices(["heuristic", "claude", "auto"]))
    .option("-n, --max-parallel <N>", "sessions at once, for the forecast (default: maxParallelSessions)")
    .option("--simulate [scenario]", "plan with the simulated model instead of the API")
    .addHelpText(
      "after",
      `
Exit code 2 for an unusable spec or plan (missing, empty, binary, too large, a cycle, bad ids); nothing is written then.

Examples:
  kappa plan --spec SPEC.md
  kappa plan --spec SPEC.md --out plan.yaml
  kappa plan --spec SPEC.md --format mermaid
  kappa plan --spec SPEC.md -n 8 --json
  kappa plan --plan plan.yaml`,
    )
    .action(
      action(
        async (ctx, flags: PlanFlags) => {
          if (flags.spec !== undefined && flags.plan !== undefined) throw new UsageError("give either --spec or --plan, not both", { hint: "e.g. kappa plan --spec SPEC.md" });
          if (flags.spec === undefined && flags.plan === undefined) throw new UsageError("nothing to plan: give --spec <file>", { hint: "e.g. kappa plan --spec SPEC.md (or --plan plan.yaml to check a plan file)" });
          const sessions = parseSessions(flags.maxParallel, ctx.config.maxParallelSessions);
          if (flags.out !== undefined && existsSync(flags.out) && flags.force !== true) {
            throw new InputError(`${flags.out} already exists`, { hint: "choose another --out file, or add --force to overwrite it (edits in it would be lost)" });
          }
          const warn = (message: string): void => {
            ctx.bus.emit("plan:warning", { message });
            printErr(`warning: ${message}`);
          };

          let resolved;
          let planner = "file";
          if (flags.plan !== undefined) {
            resolved = resolvePlan(loadPlanFile(flags.plan));
          } else {
            const specPath = flags.spec as string;
            const specText = readSpecFile(specPath, ctx.config.specMaxBytes);
            const choice = flags.planner ?? ctx.config.planner;
            const claudeAvailable = ctx.config.simulate !== undefined || Boolean(ctx.env.ANTHROPIC_API_KEY) || ctx.config.accounts.some((a) => Boolean(ctx.env[a.apiKeyEnv]));
            if (choice === "claude" && !claudeAvailable) {
              throw new UsageError("the Claude planner needs ANTHROPIC_API_KEY or --simulate", { hint: "export ANTHROPIC_API_KEY=…, add --simulate, or use --planner heuristic" });
            }
            const useClaude = choice === "claude" || (choice === "auto" && claudeAvailable);
            // The simulated model answers the planner with what the offline planner would say: computed first, so
            // that a spec nothing can be planned from is refused before the simulator starts.
            const simulatedAnswer = useClaude && ctx.config.simulate !== undefined ? planAsClaudeAnswer(heuristicPlan(specText, { specPath })) : undefined;
            const agents = useClaude ? await setupAgents(ctx, { simulate: ctx.config.simulate, structuredOutput: () => simulatedAnswer }) : undefined;
            const runStructured: RunStructured | undefined = agents?.runStructured;
            const planned = await planSpec({
              specText,
              specPath,
              planner: choice,
              claudeAvailable,
              runStructured,
              signal: AbortSignal.timeout(10 * 60_000),
              onWarning: warn,
            }).finally(() => agents?.close());
            resolved = planned.resolved;
            planner = planned.planner === "claude" && ctx.config.simulate ? "claude (simulated model)" : planned.planner;
          }
          const f = forecast(resolved, { sessions });
          if (flags.out !== undefined) writeAtomically(flags.out, planToYaml(resolved.plan));

          if (ctx.json) {
            printJson(planToJson(resolved, f));
            return 0;
          }
          if (flags.format === "mermaid") printLine(renderMermaid(resolved.plan));
          else if (flags.format === "yaml") printLine(planToYaml(resolved.plan));
          else {
            const s = style(ctx.color);
            printLine(renderPlanTable(resolved, ctx.color));
            printLine();
            printLine(renderForecast(f, ctx.color));
            const untraced = resolved.plan.requirements.filter((r) => !resolved.plan.tasks.some((t) => t.requirements.includes(r.id)));
            printLine(s.dim(`  ${resolved.plan.requirements.length} requirements, ${untraced.length} without a task; planner: ${planner}`));
          }
          if (flags.out !== undefined) printErr(`wrote ${flags.out}: edit it, then \`kappa run --plan ${flags.out}\``);
          return 0;
        },
        (flags: PlanFlags) => ({ simulate: flags.simulate === true ? "default" : flags.simulate }),
      ),
    );
}

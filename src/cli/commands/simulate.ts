/**
 * `kappa simulate`: the simulated model in the foreground, for trying Claude Code (or kappa on another
 * machine) against it by hand. Opens no database.
 */
import type { Command } from "commander";
import { InputError } from "../../core/index.js";
import { SIMULATED_MODEL_LABEL, startSimulator } from "../../simulator/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine } from "../output.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`invalid port "${value}"`, { hint: "use a number from 1 to 65535, or 0 for any free port" });
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve(signal);
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

export function registerSimulate(program: Command, { action }: CommandHelpers): void {
  program
    .command("simulate")
    .description(`run the ${SIMULATED_MODEL_LABEL} (a local Anthropic Messages API) in the foreground until Ctrl-C`)
    .option("--scenario <file>", "scenario YAML (tasks, turns, latency, faults); default: the built-in scenario", "default")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", "0")
    .addHelpText(
      "after",
      `
Every task without a scenario entry writes tasks/<task-id>.md and adds a line to TASKS.md.
The format of a scenario is described in src/simulator/scenarios/default.yaml.

Examples:
  kappa simulate --port 8787
  kappa simulate --scenario faults.yaml
  ANTHROPIC_BASE_URL=http://127.0.0.1:8787 ANTHROPIC_API_KEY=simulated claude -p "Task id: demo"`,
    )
    .action(
      action(async (ctx, opts: { scenario: string; port: string }) => {
        const port = parsePort(opts.port);
        const sim = await startSimulator({ scenario: opts.scenario, port, logger: ctx.logger });
        try {
          if (ctx.json) {
            printJson({ type: "simulator:listening", url: sim.url, port: sim.port, scenario: sim.scenario.name, label: SIMULATED_MODEL_LABEL });
          } else {
            printLine(`${SIMULATED_MODEL_LABEL} listening on ${sim.url} (scenario: ${sim.scenario.name})`);
            printLine("");
            printLine("Point Claude Code at it:");
            printLine(`  ANTHROPIC_BASE_URL=${sim.url} ANTHROPIC_API_KEY=simulated claude -p "Task id: demo"`);
            printLine("or kappa on another checkout:");
            printLine(`  kappa run --spec SPEC.md --simulate  (or accounts[].baseUrl: ${sim.url})`);
            printLine("");
            printLine("Press Ctrl-C to stop.");
          }
          await untilInterrupted();
          const stats = sim.stats();
          if (ctx.json) printJson({ type: "simulator:stopped", requests: stats.requests, faults: stats.faults, usage: stats.usage });
          else printLine(`stopped: ${stats.requests} requests answered by the ${SIMULATED_MODEL_LABEL} (${stats.faults} injected faults)`);
        } finally {
          await sim.close();
        }
        return 0;
      }),
    );
}

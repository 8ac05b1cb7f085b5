/**
 * The agent side of a run: which driver runs sessions, on which accounts, and — with `--simulate` — the
 * in-process simulated model they talk to.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/index.js";
import { ClaudeDriver, CommandDriver, missingSandboxPrograms, runStructuredQuery, SANDBOX_INSTALL, type PoolAccountConfig, type SandboxPolicy, type SessionAccount, type SessionDriver } from "../sessions/index.js";
import { SIMULATED_MODEL_LABEL, startSimulator, type SimulatorHandle } from "../simulator/index.js";
import type { CliContext } from "./context.js";

export interface AgentSetup {
  driver: SessionDriver;
  accounts: PoolAccountConfig[];
  simulator: SimulatorHandle | undefined;
  /** Runs a structured-output query on the first account (the Claude planner); undefined without an account. */
  runStructured: ((prompt: string, jsonSchema: object, signal: AbortSignal) => Promise<unknown>) | undefined;
  close(): Promise<void>;
}

export interface AgentSetupOptions {
  /** `default` or a scenario file; undefined = the real API. */
  simulate: string | undefined;
  /** The simulated model's answer to a structured-output request (the planner). */
  structuredOutput?: ((prompt: string) => unknown) | undefined;
  /** Run sessions without the OS sandbox (`--no-sandbox`). @default false */
  noSandbox?: boolean | undefined;
}

/**
 * Refuses to start sessions sandboxed when the sandbox's programs are missing: nothing may run unconfined unless
 * the user said `--no-sandbox`.
 */
export function assertSandboxReady(env: CliContext["env"], noSandbox: boolean, resumeOf?: string): void {
  if (noSandbox) return;
  const missing = missingSandboxPrograms(env);
  if (missing.length === 0) return;
  throw new InputError(`the session sandbox needs bubblewrap and socat; not found on PATH: ${missing.join(", ")}`, {
    hint: resumeOf
      ? `install them (${SANDBOX_INSTALL}, as root), then \`kappa resume ${resumeOf}\` again`
      : `install them (${SANDBOX_INSTALL}, as root), or run sessions unconfined with \`kappa run --no-sandbox\``,
  });
}

export async function setupAgents(ctx: CliContext, options: AgentSetupOptions): Promise<AgentSetup> {
  const { config, env } = ctx;
  const sessionsDir = ctx.paths.sessionsDir;
  const conventionsFile = join(ctx.paths.root, "CLAUDE.md");
  const conventions = existsSync(conventionsFile) ? readFileSync(conventionsFile, "utf8") : undefined;
  let simulator: SimulatorHandle | undefined;
  let accounts: PoolAccountConfig[];
  if (options.simulate) {
    simulator = await startSimulator({
      scenario: options.simulate === "true" ? "default" : options.simulate,
      structuredOutput: options.structuredOutput,
      logger: ctx.logger,
    });
    accounts = [{ name: "simulated", apiKey: "sk-simulated-model", baseUrl: simulator.url, model: config.model, simulated: true, maxConcurrent: config.maxParallelSessions }];
    ctx.logger.info(`using the ${SIMULATED_MODEL_LABEL} at ${simulator.url}: no API key needed, nothing leaves this machine`);
  } else if (config.driver === "command") {
    accounts = [{ name: "command", apiKey: undefined, baseUrl: undefined, model: config.model, simulated: false }];
  } else if (config.accounts.length > 0) {
    accounts = config.accounts.map((a) => {
      const apiKey = env[a.apiKeyEnv];
      if (!apiKey) throw new InputError(`account ${a.name}: ${a.apiKeyEnv} is not set`, { hint: `export ${a.apiKeyEnv}=…, remove the account from .kappa/config.yaml, or run offline with --simulate` });
      return { name: a.name, apiKey, apiKeyEnv: a.apiKeyEnv, baseUrl: a.baseUrl, model: a.model ?? config.model, simulated: false, maxConcurrent: a.maxConcurrent };
    });
  } else {
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey) throw new InputError("ANTHROPIC_API_KEY is not set", { hint: "export ANTHROPIC_API_KEY=… (or configure accounts in .kappa/config.yaml), or try kappa offline with --simulate" });
    accounts = [{ name: "default", apiKey, apiKeyEnv: "ANTHROPIC_API_KEY", baseUrl: env.ANTHROPIC_BASE_URL, model: config.model, simulated: false }];
  }

  const sandbox: SandboxPolicy | undefined = options.noSandbox ? undefined : { allowedDomains: config.networkAllowlist };
  let driver: SessionDriver;
  if (config.driver === "command" && !options.simulate) {
    if (!config.commandTemplate) throw new InputError("driver `command` needs a commandTemplate", { hint: "set commandTemplate in .kappa/config.yaml, e.g. commandTemplate: aider --yes --message {prompt}" });
    driver = new CommandDriver({ template: config.commandTemplate, env, passEnv: config.passEnv, sandbox, sessionsDir });
  } else {
    driver = new ClaudeDriver({ sessionsDir, dangerousCommands: config.dangerousCommands, env, passEnv: config.passEnv, sandbox, logger: ctx.logger, conventions, scrubber: ctx.scrubber });
  }

  const first = accounts[0] as SessionAccount;
  const runStructured =
    config.driver === "command" && !options.simulate
      ? undefined
      : async (prompt: string, jsonSchema: object, signal: AbortSignal) =>
          (await runStructuredQuery({ prompt, jsonSchema, account: first, cwd: ctx.paths.root, sessionsDir, env, signal })).output;

  return {
    driver,
    accounts,
    simulator,
    runStructured,
    async close() {
      await simulator?.close();
    },
  };
}

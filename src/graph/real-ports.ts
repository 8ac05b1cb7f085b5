/**
 * The pipeline's ports wired to the real world: git worktrees (workspace-ports.ts), the session pool
 * (session-port.ts), merging with the strategy chain, the review queue and the verification gate
 * (merge-ports.ts), and the guard on the user's checkout (checkout-port.ts). Each adapter is small and keeps no state of its own; the integration branch's state is the
 * run context's IntegrationBranch.
 */
import type { AgentResolver } from "../conflict/index.js";
import type { SessionPool } from "../sessions/index.js";
import { checkoutPort } from "./checkout-port.js";
import { mergePorts } from "./merge-ports.js";
import type { RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";
import { sessionPort } from "./session-port.js";
import { workspacePorts } from "./workspace-ports.js";

export interface RealPortsOptions {
  sessions: SessionPool;
  agent?: AgentResolver | undefined;
  /** What an agent session's leader runs (the Claude Code executable, or the command driver's program). */
  agentCommand: string;
}

export function realPorts(ctx: RunContext, options: RealPortsOptions): RunPorts {
  return { ...workspacePorts(ctx, options.agentCommand), ...sessionPort(ctx, options.sessions), ...mergePorts(ctx, options.agent), ...checkoutPort(ctx) };
}

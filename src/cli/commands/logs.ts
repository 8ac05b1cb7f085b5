import type { Command } from "commander";
import { NotFoundError, UsageError, sleep } from "../../core/index.js";
import { findSession, listSessionEvents, sessionsForTask, type SessionRow } from "../../knowledge/index.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine, style } from "../output.js";
import { formatEventLine, formatSessionHeader, guessWorktreeRoot } from "./logs-format.js";

interface LogsOptions {
  session?: string;
  run?: string;
  task?: string;
  follow?: boolean;
  json?: boolean;
  pollMs?: string;
}

/** `kappa logs`: a session's events, readable for a human or as NDJSON, optionally followed live. */
export function registerLogs(program: Command, { action, global }: CommandHelpers): void {
  program
    .command("logs")
    .description("show what a session did: its header (task, account, status, tokens, cost) and its events")
    .option("-s, --session <id>", "session id (or a unique prefix of at least 4 characters)")
    .option("--run <run>", "with --task: that task's latest session in this run")
    .option("--task <task>", "task id (with --run)")
    .option("-f, --follow", "keep printing new events until the session finishes")
    .option("--json", "NDJSON: one event per line")
    .addHelpText("after", "\nExamples:\n  kappa logs --session s_3f2a9c\n  kappa logs --run r_20250101 --task add-login --follow\n  kappa logs --session s_3f2a --json | jq .text")
    .action(
      action(async (ctx, opts: LogsOptions) => {
        const json = opts.json === true || global().json === true;
        const session = await resolveSession(ctx, opts);
        const pool = (await ctx.db()).pool;
        const st = style(ctx.color && !json);
        if (!json) for (const line of formatSessionHeader(session, st)) printLine(line);
        if (!json) printLine("");
        let after = 0;
        let status = session.status;
        let root: string | undefined;
        for (;;) {
          const events = await listSessionEvents(pool, session.id, after);
          root ??= guessWorktreeRoot(events, session.filesChanged);
          for (const e of events) {
            after = e.seq;
            if (json) printJson({ type: "session:event", sessionId: session.id, taskId: session.taskId, seq: e.seq, at: e.at.toISOString(), kind: e.kind, tool: e.tool ?? undefined, text: e.text, data: e.data ?? undefined });
            else printLine(formatEventLine(e, st, root));
          }
          if (events.length > 0) continue;
          if (!opts.follow || status !== "running") break;
          await sleep(500);
          status = (await findSession(pool, session.id))?.status ?? status;
        }
        if (!json && opts.follow) {
          const final = await findSession(pool, session.id);
          if (final) {
            printLine("");
            for (const line of formatSessionHeader(final, st)) printLine(line);
          }
        }
        return 0;
      }),
    );
}

async function resolveSession(ctx: Parameters<Parameters<CommandHelpers["action"]>[0]>[0], opts: LogsOptions): Promise<SessionRow> {
  if (!opts.session && !(opts.run && opts.task)) {
    throw new UsageError("say which session to show", { hint: "pass --session <id>, or --run <run> --task <task>; `kappa status` lists them" });
  }
  const pool = (await ctx.db()).pool;
  if (opts.session) {
    const found = await findSession(pool, opts.session);
    if (!found) throw new NotFoundError(`no session "${opts.session}"`, { hint: "run `kappa status` to see the run's tasks and their session ids (a prefix needs at least 4 characters and must be unique)" });
    return found;
  }
  const all = await sessionsForTask(pool, opts.run ?? "", opts.task ?? "");
  const latest = all.at(-1);
  if (!latest) throw new NotFoundError(`task ${opts.task ?? ""} of run ${opts.run ?? ""} has no session yet`, { hint: "run `kappa status` to see which tasks have started" });
  return latest;
}

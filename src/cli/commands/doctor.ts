import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Command } from "commander";
import { describeError } from "../../core/index.js";
import { serverVersion } from "../../knowledge/index.js";
import { findClaudeExecutable, missingSandboxPrograms, SANDBOX_INSTALL } from "../../sessions/index.js";
import { gitVersion } from "../../workspace/index.js";
import type { CliContext } from "../context.js";
import type { CommandHelpers } from "../program.js";
import { printJson, printLine, style } from "../output.js";

const run = promisify(execFile);

export interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix?: string;
}

export function registerDoctor(program: Command, { action }: CommandHelpers): void {
  program
    .command("doctor")
    .description("check that Node, git, the database, Claude Code, the session sandbox and an API key are ready")
    .addHelpText("after", "\nExit code 1 when a check fails.\n\nExample:\n  kappa doctor --json")
    .action(
      action(async (ctx) => {
        const checks = await runChecks(ctx);
        const ok = checks.every((c) => c.status !== "fail");
        if (ctx.json) printJson({ ok, checks });
        else {
          const s = style(ctx.color);
          for (const c of checks) {
            const mark = c.status === "ok" ? s.green("ok  ") : c.status === "warn" ? s.yellow("warn") : s.red("fail");
            printLine(`${mark}  ${c.name.padEnd(12)} ${c.detail}`);
            if (c.fix) printLine(`      ${"".padEnd(12)} ${s.dim(`fix: ${c.fix}`)}`);
          }
        }
        return ok ? 0 : 1;
      }),
    );
}

async function runChecks(ctx: CliContext): Promise<Check[]> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  checks.push(
    major > 22 || (major === 22 && minor >= 12)
      ? { name: "node", status: "ok", detail: `Node ${process.versions.node}` }
      : { name: "node", status: "fail", detail: `Node ${process.versions.node}`, fix: "install Node 22.12 or later" },
  );

  try {
    const [gMajor, gMinor, gPatch] = await gitVersion();
    const ok = gMajor > 2 || (gMajor === 2 && gMinor >= 38);
    checks.push(ok
      ? { name: "git", status: "ok", detail: `git ${gMajor}.${gMinor}.${gPatch}` }
      : { name: "git", status: "fail", detail: `git ${gMajor}.${gMinor}.${gPatch}`, fix: "install git 2.38 or later (kappa needs `git merge-tree --write-tree`)" });
  } catch (error) {
    checks.push({ name: "git", status: "fail", detail: describeError(error), fix: "install git and put it on PATH" });
  }

  try {
    const db = await ctx.db();
    const version = await serverVersion(db.pool);
    checks.push({ name: "database", status: "ok", detail: `${version} (${db.embedded ? `embedded, data in ${db.embedded.dataDir}` : db.displayUrl})` });
  } catch (error) {
    checks.push({ name: "database", status: "fail", detail: ctx.scrubber.text(describeError(error)), fix: ctx.config.databaseUrl ? "check DATABASE_URL and that the server runs" : "see `kappa doctor --json` and .kappa/pg; or set DATABASE_URL" });
  }

  const claude = findClaudeExecutable();
  if (!claude) {
    checks.push({ name: "claude-code", status: "fail", detail: "the Claude Code CLI was not found", fix: "reinstall kappa without --omit=optional (the CLI ships in an optional platform package)" });
  } else {
    try {
      const { stdout } = await run(claude, ["--version"], { timeout: 20_000 });
      checks.push({ name: "claude-code", status: "ok", detail: `${stdout.trim()} (${claude})` });
    } catch (error) {
      checks.push({ name: "claude-code", status: "fail", detail: `found at ${claude} but it did not run: ${describeError(error)}`, fix: "reinstall kappa (npm ci)" });
    }
  }

  const missingSandbox = missingSandboxPrograms(ctx.env);
  checks.push(
    missingSandbox.length === 0
      ? { name: "sandbox", status: "ok", detail: "bubblewrap and socat found: sessions run in the OS sandbox" }
      : { name: "sandbox", status: "fail", detail: `not found on PATH: ${missingSandbox.join(", ")}; \`kappa run\` refuses without --no-sandbox`, fix: `${SANDBOX_INSTALL} (as root)` },
  );

  const keyNames = ctx.config.accounts.length > 0 ? ctx.config.accounts.map((a) => a.apiKeyEnv) : ["ANTHROPIC_API_KEY"];
  const missing = keyNames.filter((n) => !ctx.env[n]);
  if (ctx.config.simulate) {
    checks.push({ name: "api-key", status: "ok", detail: "not needed: simulated model configured (KAPPA_SIMULATE)" });
  } else if (missing.length === 0) {
    checks.push({ name: "api-key", status: "ok", detail: `${keyNames.join(", ")} set` });
  } else {
    checks.push({ name: "api-key", status: "warn", detail: `${missing.join(", ")} not set`, fix: `export ${missing[0] ?? "ANTHROPIC_API_KEY"}=…, or run offline with --simulate` });
  }
  return checks;
}

/** Finds the Claude Code CLI shipped inside the Agent SDK's platform package. */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Absolute path of the bundled `claude` binary, or undefined when the platform package is missing. */
export function findClaudeExecutable(): string | undefined {
  const libc = process.platform === "linux" && isMusl() ? "-musl" : "";
  const pkg = `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}${libc}`;
  try {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    const bin = join(dir, process.platform === "win32" ? "claude.exe" : "claude");
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function isMusl(): boolean {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return !report.header?.glibcVersionRuntime;
}

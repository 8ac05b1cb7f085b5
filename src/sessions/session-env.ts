/**
 * The environment allowlist shared by every driver: an agent sees only what a shell and its tools need, the
 * task's own variables, and the names the user lists in `passEnv`. Everything else of kappa's environment (other
 * keys, tokens, DATABASE_URL, kappa's own KAPPA_* settings) stays out, so a task that dumps `env` leaks nothing.
 */
import type { Environment } from "../core/index.js";

/** Variables copied from kappa's environment when set. */
export const ALLOWED_ENV = ["PATH", "HOME", "LANG", "TERM", "TMPDIR"] as const;

/** The PATH used when kappa's own environment has none. */
export const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * The allowlisted variables of `env` (PATH, HOME, LANG, LC_*, TERM, TMPDIR), the `passEnv` names that are set, then
 * the task's variables (PORT, KAPPA_TASK_ID…), which win.
 */
export function allowedEnv(env: Environment, passEnv: readonly string[], taskEnv: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if ((ALLOWED_ENV as readonly string[]).includes(name) || name.startsWith("LC_") || passEnv.includes(name)) out[name] = value;
  }
  out.PATH ??= DEFAULT_PATH;
  Object.assign(out, taskEnv);
  return out;
}

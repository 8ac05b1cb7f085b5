import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type ConfigKey, type Environment } from "../../../src/core/index.js";
import { tempDir, writeFiles } from "../../helpers/git.js";

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** A project directory holding `.kappa/config.yaml` with `yaml` (no file when undefined). */
function project(yaml?: string): string {
  const d = tempDir();
  dirs.push(d);
  if (yaml !== undefined) writeFiles(d.dir, { ".kappa/config.yaml": yaml });
  return d.dir;
}

function load(yaml: string | undefined, env: Environment = {}, flags: Partial<Record<ConfigKey, unknown>> = {}) {
  return loadConfig({ projectDir: project(yaml), env, flags });
}

/** The ConfigError thrown by `fn` (fails the test when nothing or something else is thrown). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.hint).toBeTruthy();
    return e;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

describe("configuration precedence", () => {
  it("uses the documented defaults when nothing is configured", () => {
    const { config, sources } = load(undefined);
    expect(config.maxParallelSessions).toBe(5);
    expect(config.sessionTimeout).toBe(3600);
    expect(config.logLevel).toBe("info");
    expect(config.debug).toBe(false);
    expect(config.databaseUrl).toBeUndefined();
    expect(sources.maxParallelSessions).toBe("default");
    expect(sources.databaseUrl).toBe("default");
  });

  it("takes a value from .kappa/config.yaml over the default", () => {
    const { config, sources } = load("maxParallelSessions: 3\nmodel: claude-opus-4\n");
    expect(config.maxParallelSessions).toBe(3);
    expect(config.model).toBe("claude-opus-4");
    expect(sources.maxParallelSessions).toBe("file");
    expect(sources.sessionTimeout).toBe("default");
  });

  it("takes an environment variable over the project file", () => {
    const { config, sources } = load("maxParallelSessions: 3\nsessionTimeout: 100\n", {
      KAPPA_MAX_PARALLEL_SESSIONS: "7",
      KAPPA_LOG_LEVEL: "warn",
      KAPPA_DEBUG: "yes",
      DATABASE_URL: "postgresql://u@127.0.0.1:5432/db",
    });
    expect(config.maxParallelSessions).toBe(7);
    expect(config.sessionTimeout).toBe(100);
    expect(config.logLevel).toBe("warn");
    expect(config.debug).toBe(true);
    expect(config.databaseUrl).toBe("postgresql://u@127.0.0.1:5432/db");
    expect(sources).toMatchObject({ maxParallelSessions: "env", sessionTimeout: "file", logLevel: "env", debug: "env", databaseUrl: "env" });
  });

  it("takes a command-line flag over the environment and the file", () => {
    const { config, sources } = load("maxParallelSessions: 3\n", { KAPPA_MAX_PARALLEL_SESSIONS: "7" }, { maxParallelSessions: 9, debug: undefined });
    expect(config.maxParallelSessions).toBe(9);
    expect(sources.maxParallelSessions).toBe("flag");
    expect(sources.debug).toBe("default");
  });

  it("reads KAPPA_* for every other key, including lists and JSON", () => {
    const { config } = load(undefined, {
      KAPPA_COPY_FILES: ".env, .env.local",
      KAPPA_ACCOUNTS: '[{"name":"a","apiKeyEnv":"KEY_A"}]',
      KAPPA_SCHEDULE: "waves",
    });
    expect(config.copyFiles).toEqual([".env", ".env.local"]);
    expect(config.accounts).toEqual([{ name: "a", apiKeyEnv: "KEY_A", maxConcurrent: 5 }]);
    expect(config.schedule).toBe("waves");
  });

  it("ignores empty variables, unrelated variables and KAPPA_ variables that are not configuration", () => {
    const { config, sources } = load(undefined, { KAPPA_MAX_PARALLEL_SESSIONS: "", PATH: "/bin", KAPPA_TEST_DATABASE_URL: "postgresql://x" });
    expect(config.maxParallelSessions).toBe(5);
    expect(sources.maxParallelSessions).toBe("default");
  });

  it("treats an empty or comment-only project file as no settings", () => {
    expect(load("# nothing yet\n").config.maxParallelSessions).toBe(5);
    expect(load("").config.maxParallelSessions).toBe(5);
  });
});

describe("configuration errors name the key, the source and the fix", () => {
  it("rejects an unknown key in the project file with its line number", () => {
    const e = configErrorOf(() => load("maxParallelSessions: 3\n\nmaxParalelSessions: 4\n"));
    expect(e.message).toContain('"maxParalelSessions"');
    expect(e.message).toContain(".kappa/config.yaml");
    expect(e.message).toContain("line 3");
    expect(e.hint).toContain("maxParallelSessions");
  });

  it("rejects an unknown KAPPA_ environment variable", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_MAX_PARALEL: "3" }));
    expect(e.message).toContain("KAPPA_MAX_PARALEL");
    expect(e.message).toContain("environment variable");
    expect(e.hint).toContain("KAPPA_MAX_PARALLEL_SESSIONS");
  });

  it("rejects a number that is not a number, naming the variable", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_MAX_PARALLEL_SESSIONS: "lots" }));
    expect(e.message).toContain("maxParallelSessions");
    expect(e.message).toContain("KAPPA_MAX_PARALLEL_SESSIONS");
    expect(e.message).toMatch(/number/);
    expect(e.hint).toContain("KAPPA_MAX_PARALLEL_SESSIONS");
  });

  it("rejects an out-of-range number from the project file with its line", () => {
    const e = configErrorOf(() => load("model: x\nsessionTimeout: -5\n"));
    expect(e.message).toContain("sessionTimeout");
    expect(e.message).toContain(".kappa/config.yaml line 2");
    expect(e.message).toContain("greater than 0");
  });

  it("rejects true, an empty value or too many sessions instead of guessing a number", () => {
    for (const text of ["maxParallelSessions: true\n", "maxParallelSessions:\n", "maxParallelSessions: 65\n"]) {
      const e = configErrorOf(() => load(text));
      expect(e.message).toContain("maxParallelSessions");
      expect(e.message).toContain(".kappa/config.yaml line 1");
    }
    expect(configErrorOf(() => load("maxParallelSessions: 65\n")).message).toContain("at most 64");
  });

  it("rejects a fractional session count", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_MAX_PARALLEL_SESSIONS: "2.5" }));
    expect(e.message).toContain("whole number");
  });

  it("rejects a value outside an enumeration and lists the choices", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_LOG_LEVEL: "loud" }));
    expect(e.message).toContain("logLevel");
    expect(e.message).toContain("KAPPA_LOG_LEVEL");
    expect(e.message).toContain("debug");
  });

  it("rejects a boolean it cannot read", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_DEBUG: "maybe" }));
    expect(e.message).toContain("KAPPA_DEBUG");
    expect(e.message).toContain("maybe");
    expect(e.hint).toMatch(/true or false/);
  });

  it("rejects a wrongly typed boolean in the project file", () => {
    const e = configErrorOf(() => load("debug: sometimes\n"));
    expect(e.message).toContain("debug");
    expect(e.message).toContain(".kappa/config.yaml line 1");
  });

  it("rejects JSON that does not parse", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_ACCOUNTS: "[{name: a}" }));
    expect(e.message).toContain("KAPPA_ACCOUNTS");
    expect(e.message).toContain("JSON");
    expect(e.cause).toBeInstanceOf(SyntaxError);
  });

  it("rejects JSON of the wrong shape, naming the nested field", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_ACCOUNTS: '[{"name":"a","apiKeyEnv":"not a name"}]' }));
    expect(e.message).toContain("accounts.0.apiKeyEnv");
    expect(e.message).toContain("KAPPA_ACCOUNTS");
  });

  it("rejects a database URL that is not a PostgreSQL URL", () => {
    const e = configErrorOf(() => load(undefined, { DATABASE_URL: "mysql://127.0.0.1/db" }));
    expect(e.message).toContain("databaseUrl");
    expect(e.message).toContain("DATABASE_URL");
    expect(e.message).toContain("postgres");
  });

  it("rejects an account base URL that is not a URL", () => {
    const e = configErrorOf(() => load("accounts:\n  - name: a\n    apiKeyEnv: KEY_A\n    baseUrl: not-a-url\n"));
    expect(e.message).toContain("accounts.0.baseUrl");
    expect(e.message).toContain(".kappa/config.yaml");
  });

  it("rejects a project file that is not valid YAML, with the line", () => {
    const e = configErrorOf(() => load("model: x\nmaxParallelSessions: [1, 2\n"));
    expect(e.message).toContain(".kappa/config.yaml");
    expect(e.message).toMatch(/line \d/);
    expect(e.message).toContain("not valid YAML");
    expect(e.hint).toMatch(/YAML/);
  });

  it("rejects a project file that is a list or a bare value instead of a mapping", () => {
    for (const text of ["- maxParallelSessions\n- 3\n", "just words\n"]) {
      const e = configErrorOf(() => load(text));
      expect(e.message).toContain(".kappa/config.yaml");
      expect(e.message).toContain("mapping");
      expect(e.hint).toContain("key: value");
    }
  });

  it("rejects an unknown flag key", () => {
    const e = configErrorOf(() => load(undefined, {}, { noSuchThing: 1 } as Partial<Record<ConfigKey, unknown>>));
    expect(e.message).toContain("noSuchThing");
  });

  it("reports a bad value in the project file even when a flag overrides it", () => {
    const e = configErrorOf(() => load("maxParallelSessions: lots\n", {}, { maxParallelSessions: 2 }));
    expect(e.message).toContain("maxParallelSessions");
    expect(e.message).toContain(".kappa/config.yaml line 1");
  });

  it("reports a mysql:// databaseUrl in the project file even when DATABASE_URL is set", () => {
    const e = configErrorOf(() => load("databaseUrl: mysql://127.0.0.1/db\n", { DATABASE_URL: "postgresql://127.0.0.1/db" }));
    expect(e.message).toContain("databaseUrl");
    expect(e.message).toContain(".kappa/config.yaml line 1");
  });

  it("reports a bad KAPPA_ variable even when a flag overrides it", () => {
    const e = configErrorOf(() => load(undefined, { KAPPA_MAX_PARALLEL_SESSIONS: "lots" }, { maxParallelSessions: 2 }));
    expect(e.message).toContain("KAPPA_MAX_PARALLEL_SESSIONS");
  });

  it("refuses copyFiles entries outside the project and accepts those inside it", () => {
    for (const entry of ["../secrets.env", "/etc/passwd", "a/../../x", ".."]) {
      const e = configErrorOf(() => load(`copyFiles: [${JSON.stringify(entry)}]\n`));
      expect(e.message).toContain("copyFiles.0");
      expect(e.message).toContain("inside the project");
    }
    expect(load("copyFiles: [.env, config/../local.json]\n").config.copyFiles).toEqual([".env", "config/../local.json"]);
  });

  it("refuses a YAML alias bomb in the project file as bad input instead of expanding it", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const e = configErrorOf(() => load(`${lines.join("\n")}\n`));
    expect(e.message).toContain("more than 100 YAML aliases");
  });

  it("refuses more than 100 aliases of one plain value, and accepts 100", () => {
    const file = (n: number) => `model: &m claude-x\ncopyFiles: [${Array(n).fill("*m").join(", ")}]\n`;
    expect(configErrorOf(() => load(file(101))).message).toContain("more than 100 YAML aliases");
    expect(load(file(100)).config.copyFiles).toHaveLength(100);
  });

  it("names the command-line option the user typed when a flag value is bad", () => {
    const e = configErrorOf(() => load(undefined, {}, { maxParallelSessions: 0 }));
    expect(e.message).toContain("command-line option -n/--max-parallel)");
    const s = configErrorOf(() => load(undefined, {}, { schedule: "sideways" }));
    expect(s.message).toContain("command-line option --schedule");
  });
});

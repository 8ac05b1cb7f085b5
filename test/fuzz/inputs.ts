/** fast-check generators for what users hand kappa: specs, plan files, config files, environments. */
import fc from "fast-check";
import { stringify } from "yaml";
import { CONFIG_KEYS, envNameFor, type Plan } from "../../src/core/index.js";

/** Characters that break naive code: control characters, escapes, quotes, YAML and Markdown syntax, odd Unicode. */
const nasty = fc.constantFrom("\u0000", "\u0007", "\u001b[31m", "\u001b]0;x\u0007", "\r", "\t", "\b", "\u00a0", "\u202e", "\ufeff", "\ud800", "'", '"', "`", ":", "- ", "#", "&a", "*a", "!!binary", "{", "[", "|", ">", "%", "@", "\\", "..", "/", "MUST", "SHOULD", "main", "R1");

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 5 })), { maxLength: 8 }).map((p) => p.join("")),
);

const specLine = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("# Tool", "## Commands", "## Storage", "## Main", "### Details", "- `tool add` adds an item", "- data MUST be saved in a file", "The tool SHOULD be fast.", "1. first step", "", "```", "```ts", "| a | b |", "---", "> quote") },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("# ", "## ", "### ", "- ", "* ", "1. ", "> ", "", "    "), text).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: text },
);

/** A spec: Markdown-ish lines, sometimes raw bytes (binary, invalid UTF-8) or nothing at all. */
export function specText(): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(specLine, { maxLength: 30 }).map((l) => l.join("\n")) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom("", "   \n\n", "# Only a heading\n", "# A\n## B\n## C\n") },
  );
}

/** Any JSON-ish value, biased towards the types plan and config fields expect. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  text,
  fc.integer({ min: -5, max: 100 }),
  fc.constantFrom(0, 1, 5, 64, 65, -1, 1.5, Number.MAX_SAFE_INTEGER, true, false, null, "", [], {}, "main", "../x", "/etc/passwd", "postgres://127.0.0.1/x", "mysql://x", "P0", "logic", "default"),
);

type Mutation = { kind: "set" | "delete"; task: number; field: string; value: unknown } | { kind: "top"; field: string; value: unknown };

const TASK_FIELDS = ["id", "title", "prompt", "category", "complexity", "priority", "estimateMinutes", "dependsOn", "files", "acceptance", "requirements", "unknownField"];
const TOP_FIELDS = ["version", "name", "source", "requirements", "tasks", "extra"];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom<"set" | "delete">("set", "delete"), task: fc.nat(8), field: fc.constantFrom(...TASK_FIELDS), value: fc.oneof(value, fc.array(value, { maxLength: 3 })) }),
  fc.record({ kind: fc.constant<"top">("top"), field: fc.constantFrom(...TOP_FIELDS), value: fc.oneof(value, fc.array(value, { maxLength: 3 })) }),
);

function mutate(plan: Plan, mutations: Mutation[]): unknown {
  const copy = structuredClone(plan) as unknown as { tasks: Record<string, unknown>[] } & Record<string, unknown>;
  for (const m of mutations) {
    if (m.kind === "top") copy[m.field] = m.value;
    else {
      const tasks = Array.isArray(copy.tasks) ? copy.tasks : [];
      const task = tasks[m.task % Math.max(1, tasks.length)];
      if (task === null || typeof task !== "object") continue;
      if (m.kind === "delete") delete task[m.field];
      else task[m.field] = m.value;
    }
  }
  return copy;
}

/** A plan file: a good plan with a few fields broken, in YAML or JSON, sometimes text that is no plan at all. */
export function planFile(good: Plan): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.array(mutation, { maxLength: 3 }), fc.boolean()).map(([ms, json]) => (json ? JSON.stringify(mutate(good, ms)) : stringify(mutate(good, ms)))) },
    { weight: 1, arbitrary: fc.array(specLine, { maxLength: 10 }).map((l) => l.join("\n")) },
    { weight: 1, arbitrary: fc.constantFrom(aliasBomb(), `${aliasBomb()}\n${stringify(good)}`, "version: 1\ntasks: [\n", "[]", "null", "42") },
  );
}

/** A `.kappa/config.yaml`: known and unknown keys with good and bad values, or text that is not a mapping. */
export function configFile(): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CONFIG_KEYS.filter((k) => k !== "simulate")) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
  return fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(key, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 4 }).map((o) => stringify(o)) },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(aliasBomb(), "maxParallelSessions: lots\n", "databaseUrl: mysql://x\n", "copyFiles: [../x]\n", "a: [\n") },
  );
}

/** Environment variables: kappa's own (good and bad values), unknown KAPPA_ names, DATABASE_URL. */
export function environment(): fc.Arbitrary<Record<string, string>> {
  const names = CONFIG_KEYS.filter((k) => k !== "simulate").map(envNameFor);
  const name = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names, "NO_COLOR", "KAPPA_TEST_DATABASE_URL") }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => `KAPPA_${s}`) });
  const envValue = fc.oneof(text, fc.constantFrom("0", "1", "2", "64", "65", "true", "no", "lots", "[]", "[{}]", "{", "mysql://x", "postgres://127.0.0.1:1/x", "../x", "heuristic", "waves", "debug"));
  // Names and values a process environment can hold (no NUL, no '=' in names).
  return fc.dictionary(name.filter((n) => !n.includes("\u0000") && !n.includes("=") && n.length > 0), envValue.map((v) => v.split("\u0000").join("")), { maxKeys: 4 });
}

/** A "billion laughs" YAML document: nine levels of ten aliases each. */
export function aliasBomb(): string {
  const lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  return lines.join("\n");
}

/**
 * Entities named in a requirement: endpoints, commands, files and modules in code spans, UI screens and
 * data-model names. They are what connects requirements to each other (and tasks to files).
 */

export type EntityKind = "model" | "endpoint" | "command" | "file" | "screen";

export interface Entity {
  kind: EntityKind;
  /** Endpoint "GET /todos/:id", command "todo add", file "src/db.ts", screen "login page", model "Todo". */
  name: string;
  /** The grouping key: an endpoint's resource ("todos"), a command's verb ("add"), a screen's name. */
  key: string;
}

const ENDPOINT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b[\s`—–|:]*(\/[\w/:{}.*-]*)/g;
const CODE_SPAN = /`([^`]+)`/g;
const FILE_LIKE = /^(?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w.-]+\.[a-z0-9]{1,6}$|^(?:[\w.-]+\/)+[\w.-]*$/i;
const COMMAND_LIKE = /^[a-z][\w-]*(?:\s+[a-z<[-][^`]*)?$/;
const SCREEN = /\b((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+(page|screen|view|dialog|modal)\b/gi;
const SCREEN_STOP = new Set(["the", "a", "an", "on", "in", "to", "from", "each", "every", "this", "that", "which", "of", "and", "or", "with", "for", "new", "its", "their", "same", "one", "any", "web", "main"]);

/** Resource of an endpoint path: "/api/v1/todos/:id/items" → "todos". */
export function endpointResource(path: string): string {
  const segments = path.split("/").filter((s) => s.length > 0 && !s.startsWith(":") && !s.startsWith("{") && s !== "*");
  const meaningful = segments.filter((s) => !/^(api|v\d+)$/i.test(s));
  return (meaningful[0] ?? segments[0] ?? "root").toLowerCase();
}

/** Entities in one requirement's text. Commands are candidates until the parser knows the program name. */
export function extractEntities(text: string, inCliContext: boolean): Entity[] {
  const found = new Map<string, Entity>();
  const add = (entity: Entity): void => {
    const k = `${entity.kind}:${entity.name}`;
    if (!found.has(k)) found.set(k, entity);
  };
  for (const m of text.matchAll(ENDPOINT)) {
    const method = m[1] ?? "GET";
    const path = m[2] ?? "/";
    add({ kind: "endpoint", name: `${method.toUpperCase()} ${path}`, key: endpointResource(path) });
  }
  for (const m of text.matchAll(CODE_SPAN)) {
    const span = (m[1] ?? "").trim();
    if (span.length === 0 || span.length > 120) continue;
    if (/^(GET|POST|PUT|PATCH|DELETE)\s/.test(span)) continue;
    if (FILE_LIKE.test(span) && !/\s/.test(span) && /[./]/.test(span) && !/^\d/.test(span)) {
      add({ kind: "file", name: span.replace(/^\.\//, ""), key: span });
      continue;
    }
    if (inCliContext && COMMAND_LIKE.test(span) && !span.startsWith("-")) {
      const tokens = span.split(/\s+/);
      add({ kind: "command", name: span, key: tokens[0] ?? span });
    }
  }
  for (const m of text.matchAll(SCREEN)) {
    const raw = (m[1] ?? "").toLowerCase().split(/\s+/);
    while (raw.length > 0 && SCREEN_STOP.has(raw[0] ?? "")) raw.shift();
    if (raw.length === 0) continue;
    const name = `${raw.join(" ")} ${(m[2] ?? "page").toLowerCase()}`;
    add({ kind: "screen", name, key: name });
  }
  return [...found.values()];
}

/**
 * The program name of a CLI spec: the word most code spans start with ("todo" in `todo add`, `todo list`),
 * provided at least two spans agree. Commands are then keyed by their sub-command.
 */
export function programName(commandSpans: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const span of commandSpans) {
    const tokens = span.split(/\s+/);
    if (tokens.length < 2 || !/^[a-z]/.test(tokens[1] ?? "")) continue;
    const first = tokens[0] ?? "";
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 1;
  for (const [name, count] of counts) if (count > bestCount) [best, bestCount] = [name, count];
  return best;
}

/** Re-keys command entities once the program name is known: `todo add --due` → key "add". */
export function keyCommands(entities: Entity[], program: string | undefined, knownSubcommands: ReadonlySet<string>): Entity[] {
  return entities.flatMap((e) => {
    if (e.kind !== "command") return [e];
    const tokens = e.name.split(/\s+/);
    const first = tokens[0] ?? e.key;
    if (program !== undefined && first === program) {
      const sub = tokens[1];
      if (sub === undefined || !/^[a-z][\w-]*$/.test(sub)) return [{ ...e, key: program }];
      return [{ ...e, key: sub }];
    }
    // A lone word in a code span ("`add` adds a todo") is a command only when the spec uses it as one.
    if (program === undefined) return tokens.length === 1 ? [] : [{ ...e, key: first }];
    return knownSubcommands.has(first) ? [{ ...e, key: first }] : [];
  });
}

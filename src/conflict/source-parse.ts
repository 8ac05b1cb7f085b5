/**
 * Parses a file with the maintained parser for its type, loaded only when needed (the merge driver must start
 * fast): JSON, YAML (the `yaml` package), JavaScript/TypeScript/JSX (the TypeScript compiler API). Reports
 * whether it parses and how often each top-level name is declared. Undefined: no parser for this file type, or
 * the parser is not installed (then a structured JS/TS result is refused, see structured.ts).
 */

export interface ParsedSource {
  language: string;
  parses: boolean;
  /** Top-level declared names (imports, functions, classes, variables, types) and how often each is declared. */
  topLevel: Map<string, number>;
}

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/i;

export function hasParser(path: string): boolean {
  return /\.json$/i.test(path) || /\.ya?ml$/i.test(path) || SCRIPT.test(path);
}

export async function parsedSource(path: string, text: string): Promise<ParsedSource | undefined> {
  if (/\.json$/i.test(path)) return { language: "JSON", parses: jsonParses(text), topLevel: new Map() };
  if (/\.ya?ml$/i.test(path)) {
    const { parseAllDocuments } = await import("yaml");
    const docs = parseAllDocuments(text);
    const parses = Array.isArray(docs) && docs.every((d) => d.errors.length === 0);
    return { language: "YAML", parses, topLevel: new Map() };
  }
  if (SCRIPT.test(path)) return parseScript(path, text);
  return undefined;
}

function jsonParses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type TypeScript = typeof import("typescript");
let loaded: Promise<TypeScript | undefined> | undefined;

/** The TypeScript compiler, or undefined when it is not installed (it is a development dependency). */
export function loadTypeScript(): Promise<TypeScript | undefined> {
  loaded ??= import("typescript").then(
    (m) => m.default,
    () => undefined,
  );
  return loaded;
}

async function parseScript(path: string, text: string): Promise<ParsedSource | undefined> {
  const ts = await loadTypeScript();
  if (!ts) return undefined;
  const lower = path.toLowerCase();
  const kind = lower.endsWith(".tsx") ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(lower) ? ts.ScriptKind.TS : ts.ScriptKind.JSX;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
  // parseDiagnostics: the syntax errors the parser found (not part of the public typings, present in every release).
  const diagnostics = (file as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? [];
  const topLevel = new Map<string, number>();
  const add = (name: string | undefined): void => {
    if (name !== undefined) topLevel.set(name, (topLevel.get(name) ?? 0) + 1);
  };
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      add(clause?.name?.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text);
      else if (bindings) for (const e of bindings.elements) add(e.name.text);
    } else if (ts.isFunctionDeclaration(s) && s.body) add(s.name?.text);
    else if (ts.isClassDeclaration(s)) add(s.name?.text);
    else if (ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) add(s.name.text);
    else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text);
    }
  }
  return { language: kind === ts.ScriptKind.JSX ? "JavaScript" : "TypeScript", parses: diagnostics.length === 0, topLevel };
}

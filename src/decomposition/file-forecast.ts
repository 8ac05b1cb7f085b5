/**
 * Which files a task will likely own. Used by sessions as a hint and by conflict prediction: two tasks that
 * forecast the same file (the command registry, the route table) are likely to conflict when merged.
 */
import type { ParsedSpec } from "./parser.js";
import { slugify } from "./names.js";
import type { Unit } from "./task-units.js";

interface Layout {
  code: (path: string, ui?: boolean) => string;
  test: (path: string) => string;
  manifest: string[];
}

const LAYOUTS: Record<"ts" | "py" | "go" | "rs", Layout> = {
  ts: { code: (p, ui) => `src/${p}.${ui ? "tsx" : "ts"}`, test: (p) => `test/${p}.test.ts`, manifest: ["package.json", "tsconfig.json"] },
  py: { code: (p) => `src/${p.replace(/-/g, "_")}.py`, test: (p) => `tests/test_${p.replace(/[/-]/g, "_")}.py`, manifest: ["pyproject.toml"] },
  go: { code: (p) => `internal/${p.replace(/-/g, "")}.go`, test: (p) => `internal/${p.replace(/-/g, "")}_test.go`, manifest: ["go.mod"] },
  rs: { code: (p) => `src/${p.replace(/[/-]/g, "_")}.rs`, test: (p) => `tests/${p.replace(/[/-]/g, "_")}.rs`, manifest: ["Cargo.toml"] },
};

export function layoutFor(stack: readonly string[]): keyof typeof LAYOUTS {
  if (stack.includes("python") || stack.includes("flask") || stack.includes("fastapi") || stack.includes("django")) return "py";
  if (stack.includes("go") || stack.includes("golang")) return "go";
  if (stack.includes("rust")) return "rs";
  return "ts";
}

/** The entry file that registers commands, routes or pages: every surface task touches it a little. */
export function registryFile(spec: ParsedSpec, category: string): string | undefined {
  const layout = LAYOUTS[layoutFor(spec.stack)];
  if (category === "cli") return layout.code("cli");
  if (category === "api") return layout.code("app");
  if (category === "ui") return layout.code("App", true);
  return undefined;
}

function pascal(text: string): string {
  return slugify(text).split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

/** Forecast files for a unit: named files from its requirements first, then the project's conventions. */
export function forecastFiles(unit: Unit, spec: ParsedSpec): string[] {
  const layout = LAYOUTS[layoutFor(spec.stack)];
  const files = new Set<string>();
  for (const r of unit.requirements) for (const e of r.entities) if (e.kind === "file" && !e.name.startsWith("~") && !e.name.startsWith("/")) files.add(e.name);
  const slug = unit.idBase.replace(/^(api|cli|ui|test|docs)-/, "");
  switch (unit.kind) {
    case "setup": {
      for (const m of layout.manifest) files.add(m);
      const surfaces = new Set(spec.requirements.map((r) => r.category));
      for (const c of ["cli", "api", "ui"]) if (surfaces.has(c as never)) files.add(registryFile(spec, c) ?? "");
      if (files.size === layout.manifest.length) files.add(layout.code("index"));
      files.add(".gitignore");
      break;
    }
    case "model":
      for (const m of unit.models ?? ["model"]) {
        files.add(layout.code(`models/${slugify(m)}`));
        files.add(layout.test(`models/${slugify(m)}`));
      }
      break;
    case "foundation":
      files.add(layout.code(slug, unit.scope === "ui"));
      files.add(layout.test(slug));
      break;
    case "feature": {
      const registry = registryFile(spec, unit.category);
      if (unit.category === "cli") for (const k of unit.keys.length > 0 ? unit.keys : [slug]) files.add(layout.code(`commands/${slugify(k)}`));
      else if (unit.category === "api") for (const k of unit.keys.length > 0 ? unit.keys : [slug]) files.add(layout.code(`routes/${slugify(k)}`));
      else if (unit.category === "ui") for (const k of unit.keys.length > 0 ? unit.keys : [slug]) files.add(layout.code(`pages/${pascal(k)}`, true));
      else files.add(layout.code(slug));
      const testDir = unit.category === "logic" ? "" : `${unit.category === "cli" ? "commands" : unit.category === "api" ? "routes" : "pages"}/`;
      files.add(layout.test(`${testDir}${slug}`));
      if (registry) files.add(registry);
      break;
    }
    case "test":
      files.add(layout.test(`e2e/${unit.idBase.replace(/^test-?/, "") || "acceptance"}`));
      break;
    case "docs":
      if (/readme/i.test(`${unit.title} ${unit.requirements.map((r) => r.text).join(" ")}`) || files.size === 0) files.add("README.md");
      break;
    case "infra":
      if (/docker|container/i.test(`${unit.title} ${unit.requirements.map((r) => r.text).join(" ")}`)) files.add("Dockerfile");
      if (/\bci\b|continuous integration|github actions|workflow/i.test(`${unit.title} ${unit.requirements.map((r) => r.text).join(" ")}`)) files.add(".github/workflows/ci.yml");
      if (files.size === 0) files.add(`infra/${slug}`);
      break;
  }
  files.delete("");
  return [...files];
}

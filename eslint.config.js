// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The dependency direction between src/ folders (DEVELOPERS.md, "Architecture"): each folder may import only
 * the folders listed for it, and another folder only through its index.ts. Siblings on one layer are independent.
 */
const LAYERS = {
  core: [],
  knowledge: ["core"],
  workspace: ["core"],
  simulator: ["core"],
  decomposition: ["core", "knowledge", "workspace"],
  sessions: ["core", "knowledge", "workspace"],
  conflict: ["core", "knowledge", "workspace"],
  metrics: ["core", "knowledge", "workspace"],
  graph: ["core", "knowledge", "workspace", "decomposition", "sessions", "conflict", "metrics"],
  web: ["core", "knowledge", "workspace", "decomposition", "sessions", "conflict", "metrics"],
  scale: ["core", "knowledge", "workspace", "decomposition", "sessions", "conflict", "metrics"],
  cli: ["core", "knowledge", "workspace", "simulator", "decomposition", "sessions", "conflict", "metrics", "graph", "web", "scale"],
};
const FOLDERS = Object.keys(LAYERS);
/**
 * `kappa merge-driver` must start in milliseconds (git runs it once per file), so the modules on its path import
 * the few files they need instead of a folder's index.ts (which loads LangGraph, pg, pino…). The direction still holds.
 */
const FAST_START = ["src/cli/merge-driver-main.ts", "src/conflict/git-merge-file.ts", "src/workspace/git.ts", "src/workspace/git-runner.ts"];
const layerPatterns = (folder, indexOnly) => {
  const forbidden = FOLDERS.filter((other) => other !== folder && !LAYERS[folder].includes(other));
  const patterns = [];
  if (indexOnly) {
    patterns.push({
      regex: `^(\\.\\./)+(${LAYERS[folder].join("|") || "(?!)"})/(?!index\\.js$)`,
      message: "Import another folder only through its index.ts (its public surface).",
    });
  }
  if (forbidden.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${forbidden.join("|")})/`,
      message: `src/${folder} may import only ${LAYERS[folder].join(", ") || "nothing outside itself"} (dependency direction in DEVELOPERS.md).`,
    });
  }
  return patterns;
};
const layerRules = [
  ...FOLDERS.map((folder) => ({ files: [`src/${folder}/**/*.ts`], rules: { "no-restricted-imports": ["error", { patterns: layerPatterns(folder, true) }] } })),
  ...FAST_START.map((file) => {
    const patterns = layerPatterns(file.split("/")[1], false);
    return { files: [file], rules: { "no-restricted-imports": patterns.length > 0 ? ["error", { patterns }] : "off" } };
  }),
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "bench/cases/", "**/*.mjs", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only src/core/config reads process.env." }],
    },
  },
  ...layerRules,
  {
    files: ["src/core/config/**", "test/**", "bench/**", "scripts/**", "vitest.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);

/**
 * Names: safe task ids and the spellings under which an entity is mentioned in prose ("LineItem" is also
 * "line item", "line items", "lineitems").
 */
import { RESERVED_TASK_IDS, TASK_ID_PATTERN } from "../core/index.js";

const MAX_SLUG = 40;

/** A slug usable as a git branch component and a directory name (see TASK_ID_PATTERN), never empty. */
export function slugify(text: string, fallback = "task"): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, "");
  return slug.length > 0 ? slug : fallback;
}

/** Hands out unique safe ids: a repeated base gets "-2", "-3"…; a reserved id (`main`) is never handed out. */
export class IdAllocator {
  private readonly used = new Set<string>(RESERVED_TASK_IDS);

  take(base: string): string {
    const root = TASK_ID_PATTERN.test(base) ? base : slugify(base);
    let id = root;
    for (let n = 2; this.used.has(id); n++) id = `${root.slice(0, 58)}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** Lower-case word forms under which `name` may appear in text, singular and plural. */
export function nameVariants(name: string): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const spaced = words.join(" ");
  const joined = words.join("");
  const forms = new Set<string>([spaced, joined]);
  for (const base of [spaced, joined]) forms.add(pluralize(base));
  return [...forms];
}

function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Lower-case words of a text, the unit every name index works on. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** Capitalised display form of a heading or name: "line items" → "Line items". */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

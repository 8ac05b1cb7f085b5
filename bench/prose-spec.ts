/**
 * Generated specifications of realistic prose for the size benchmark: an overview, a data model, then areas with
 * paragraphs (some sentences with RFC words, some with dependency phrases naming earlier areas), bullet lists,
 * tables, sub-sections (tests and error handling inside areas, as real specs have them), endpoints and commands. Deterministic for a given size.
 */

const NOUNS = ["invoice", "customer", "shipment", "ticket", "report", "device", "booking", "payment", "review", "course", "lesson", "vehicle", "route", "order", "product", "warehouse", "alert", "schedule", "document", "contract"];
const VERBS = ["record", "validate", "list", "archive", "export", "summarise", "notify", "approve", "reject", "import"];
const FILLER = [
  "Operators rely on this every morning, so the behaviour has to be predictable.",
  "The previous system did this by hand in a spreadsheet, which led to mistakes at the end of each month.",
  "Numbers are shown with two decimals and dates in the user's time zone.",
  "Nothing here is exotic; it mirrors how the team already works on paper.",
  "Support staff asked for this after a long week of duplicate entries.",
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateProseSpec(bytes: number): string {
  const random = rng(bytes);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const out: string[] = ["# Generated operations platform", "", "## Overview", "", "A platform for a mid-sized logistics company. This text is generated for benchmarks: it reads like a real specification, with prose, lists, tables and headings of several depths.", ""];
  out.push("## Data model", "");
  for (let m = 0; m < 12; m++) out.push(`- \`${NOUNS[m]?.replace(/^./, (c) => c.toUpperCase()) ?? "Thing"}${m}\`: id, name, status, owner, created at, updated at.`);
  out.push("");
  let size = out.join("\n").length;
  const areas: string[] = [];
  for (let a = 0; size < bytes; a++) {
    const noun = NOUNS[a % NOUNS.length] ?? "item";
    const title = `${noun.replace(/^./, (c) => c.toUpperCase())} handling ${a}`;
    const block: string[] = [`## ${title}`, ""];
    const sentences = [pick(FILLER), `The system MUST ${pick(VERBS)} every ${noun} within a minute of it arriving.`, pick(FILLER)];
    if (areas.length > 0 && random() < 0.5) sentences.push(`This area depends on ${pick(areas.slice(-20))} being in place.`);
    if (random() < 0.3) sentences.push(`It should ${pick(VERBS)} ${noun}s in batches of a hundred.`);
    block.push(sentences.join(" "), "");
    const kind = a % 4;
    if (kind === 0) {
      for (let k = 0; k < 4; k++) block.push(`- \`${["GET", "POST", "PATCH", "DELETE"][k]} /${noun}s${a}${k % 2 === 1 ? "/:id" : ""}\` MUST ${pick(VERBS)} ${noun} records and answer 404 for unknown ids.`);
    } else if (kind === 1) {
      for (let k = 0; k < 3; k++) block.push(`- \`ops ${noun}${a}-${pick(VERBS)}\` SHOULD ${pick(VERBS)} a ${noun} from the terminal and print a summary.`);
    } else if (kind === 2) {
      block.push("| Rule | Priority | Description |", "|------|----------|-------------|");
      for (let k = 0; k < 3; k++) block.push(`| R${a}.${k} | P${k} | A ${noun} is ${pick(VERBS)}ed when its status changes; the change is logged. |`);
    } else {
      block.push(`### ${title} page`, "", `- The ${noun} ${a} page MUST show the ${noun}s in a table with sorting and paging.`, `- It MAY offer a CSV download, after the ${pick(areas.length > 0 ? areas.slice(-10) : [title])} work.`);
    }
    block.push("");
    // Real specs repeat cross-cutting subsections inside feature areas.
    if (a % 3 === 0) block.push(`### Tests for ${noun} handling ${a}`, "", `- Every rule of this area MUST have a test that ${pick(VERBS)}s a ${noun}.`, "");
    if (a % 5 === 0) block.push(`### Error handling for ${noun}s ${a}`, "", `- Errors SHOULD name the ${noun} and the field at fault.`, "");
    const text = block.join("\n");
    out.push(text);
    size += text.length + 1;
    areas.push(title.toLowerCase());
  }
  out.push("## Testing", "", "- Every area MUST have integration tests.", "");
  return out.join("\n");
}

import { describe, expect, it } from "vitest";
import { heuristicPlan, parseSpec } from "../../../src/decomposition/index.js";

const priorityOf = (spec: string, fragment: string): string | undefined => parseSpec(spec).requirements.find((r) => r.text.includes(fragment))?.priority;
const SPEC_SYNTAX = /\b(must|should|may|shall|could|p[0-3])\b/i;

describe("priorities written as labels", () => {
  const spec = `# Pantry

## Items

- P0: A user adds an item with a name and a best-before date.
- [P2] Items can be photographed.
- Nice to have: barcode lookup.

## Shopping list (MAY)

- The list MUST be shared with the household.

## Alerts (MUST)

- An alert SHOULD be sent two days before an item expires.
- Expired items are shown in red.
`;

  it("reads a label at the start of an item as its priority and keeps it out of the item's text", () => {
    expect(priorityOf(spec, "adds an item")).toBe("P0");
    expect(priorityOf(spec, "photographed")).toBe("P2");
    expect(priorityOf(spec, "barcode lookup")).toBe("P3");
    const texts = parseSpec(spec).requirements.map((r) => r.text);
    expect(texts.some((t) => /^(P0|\[P2\]|Nice to have)/.test(t))).toBe(false);
    expect(parseSpec(spec).requirements.map((r) => r.id)).not.toContain("P0");
  });

  it("lets a heading's label set its section's level, which an item's own modal verb may lower but not raise", () => {
    expect(priorityOf(spec, "shared with the household")).toBe("P3");
    expect(priorityOf(spec, "two days before")).toBe("P1");
    expect(priorityOf(spec, "shown in red")).toBe("P0");
  });

  it("keeps labels out of task ids and titles", () => {
    for (const t of heuristicPlan(spec).tasks) {
      expect(t.title).not.toMatch(SPEC_SYNTAX);
      expect(t.id.replace(/-/g, " ")).not.toMatch(SPEC_SYNTAX);
    }
  });
});

describe("priorities written as words", () => {
  it("takes the first RFC keyword of a sentence: an optional feature stays optional", () => {
    expect(priorityOf("# X\n\n## Links\n\n- A link MAY carry an expiry date; after it, the link MUST answer 410.\n", "expiry date")).toBe("P3");
  });

  it("reads MoSCoW headings as priorities, and never puts them in a task title", () => {
    const spec = "# X\n\n## Must have\n\n### Events page\n\n- Organisers publish an event on the events page.\n\n## Could have\n\n### Waiting list\n\n- Buyers join a waiting list.\n\n## Won't have\n\n- Seat maps.\n";
    expect(priorityOf(spec, "publish an event")).toBe("P0");
    expect(priorityOf(spec, "waiting list")).toBe("P2");
    expect(priorityOf(spec, "Seat maps")).toBeUndefined();
    for (const t of heuristicPlan(spec).tasks) expect(t.title).not.toMatch(/have/i);
  });

  it("reads lower-case 'may' as optional only in a spec that writes all its keywords in lower case", () => {
    expect(priorityOf("# X\n\n## Sync\n\nThe tool must copy files. It may upload them to a server.\n", "upload them")).toBe("P3");
    expect(priorityOf("# X\n\n## Todos\n\n- A todo MUST have a title and may have tags.\n", "may have tags")).toBe("P0");
  });
});

describe("sections", () => {
  it("names every section that holds requirements in some task's title, also when small sections are merged", () => {
    const spec = "# Notes\n\n## Features\n\n### Tags\n\n- Notes SHOULD carry tags.\n\n### Pins\n\n- A note MAY be pinned.\n\n### Colours\n\n- A note MAY have a colour.\n";
    const titles = heuristicPlan(spec).tasks.map((t) => t.title.toLowerCase()).join(" | ");
    for (const s of ["tags", "pins", "colours"]) expect(titles).toContain(s);
  });

  it("plans a requirement stated with a capital MUST even in a goals section, but not the sentence explaining the keywords", () => {
    const spec = "# Sync\n\n## Goals\n\n- Be pleasant to use.\n- Runs MUST resume after a crash.\n- The key words MUST and SHOULD are to be read as in RFC 2119.\n\n## Upload\n\n- Files MUST be uploaded in chunks.\n";
    const texts = parseSpec(spec).requirements.map((r) => r.text);
    expect(texts).toContain("Runs MUST resume after a crash.");
    expect(texts.some((t) => t.includes("RFC 2119") || t.includes("pleasant"))).toBe(false);
    expect(heuristicPlan(spec).tasks.some((t) => t.prompt.includes("Runs MUST resume after a crash."))).toBe(true);
  });

  it("plans feature sections whose headings merely contain a context or exclusion word", () => {
    const spec = "# Money\n\n## Goals\n\n- Be quick.\n\n## Savings goals\n\n- A user sets a savings goal with a target amount.\n\n## Notes sync\n\n- Notes are synced every minute.\n\n## Pay later\n\n- Buyers may split a payment into three.\n\n## Later\n\n- Crypto wallets.\n";
    const texts = parseSpec(spec).requirements.map((r) => r.text);
    expect(texts).toEqual(["A user sets a savings goal with a target amount.", "Notes are synced every minute.", "Buyers may split a payment into three."]);
  });
});

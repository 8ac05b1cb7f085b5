import { describe, expect, it } from "vitest";
import { parseSpec } from "../../../src/decomposition/index.js";

const spec = `# Shop

## Overview
A tiny shop. Customers buy things.

## Data model
- \`Product\`: name, price
- \`Order\`: items, total

## API
| Method | Path | Description |
|---|---|---|
| GET | /products | list products |
| POST | /orders | place an order |

## Rules
- [ ] Orders MUST be rejected when a product is out of stock
  - answers 409
  - leaves stock unchanged
- [x] Already done: logging
- FR-7: Prices should be shown in cents
- Nice to have: gift wrapping
- P2 coupons
- Exports MAY be added later

### Acceptance criteria
- every order has a receipt

## Non-goals
- Payments MUST NOT be real
`;

describe("the spec parser", () => {
  const parsed = parseSpec(spec);
  const byText = (s: string) => parsed.requirements.find((r) => r.text.includes(s));

  it("takes the document title as the project name and overview prose as context", () => {
    expect(parsed.title).toBe("Shop");
    expect(parsed.context).toContain("A tiny shop.");
    expect(parsed.requirements.some((r) => r.text.includes("tiny shop"))).toBe(false);
  });

  it("keeps the source line and section path of every requirement", () => {
    const r = byText("out of stock");
    expect(r?.line).toBe(spec.split("\n").findIndex((l) => l.includes("out of stock")) + 1);
    expect(r?.section).toEqual(["Rules"]);
  });

  it("reads priorities from RFC 2119 words, MoSCoW phrases, P-labels and plain words", () => {
    expect(byText("out of stock")?.priority).toBe("P0");
    expect(byText("in cents")?.priority).toBe("P1");
    expect(byText("gift wrapping")?.priority).toBe("P3");
    expect(byText("coupons")?.priority).toBe("P2");
    expect(byText("Exports")?.priority).toBe("P3");
  });

  it("honours the spec's own requirement ids and numbers the rest", () => {
    expect(byText("in cents")?.id).toBe("FR-7");
    expect(new Set(parsed.requirements.map((r) => r.id)).size).toBe(parsed.requirements.length);
  });

  it("turns nested items into acceptance criteria and attaches acceptance subsections to their section", () => {
    expect(byText("out of stock")?.acceptance).toEqual(["answers 409", "leaves stock unchanged"]);
    expect(parsed.sectionAcceptance.get("Rules")).toEqual(["every order has a receipt"]);
  });

  it("skips ticked checkboxes and out-of-scope sections", () => {
    expect(byText("logging")).toBeUndefined();
    expect(byText("Payments")).toBeUndefined();
  });

  it("finds data models, endpoints in tables and models mentioned elsewhere", () => {
    expect(parsed.models).toEqual(["Product", "Order"]);
    const post = byText("place an order");
    expect(post?.entities).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "endpoint", name: "POST /orders", key: "orders" })]));
    expect(byText("out of stock")?.entities.some((e) => e.kind === "model" && e.name === "Product")).toBe(true);
  });

  it("reads plain text without Markdown: short lines ending in a colon are sections", () => {
    const plain = parseSpec("Notes app\n\nCommands:\n- notes add <text> must store a note\n- notes list should print notes\n\nThe app must start in under a second.\n");
    expect(plain.title).toBe("Notes app");
    expect(plain.requirements.map((r) => r.text)).toEqual(["notes add <text> must store a note", "notes list should print notes", "The app must start in under a second."]);
    expect(plain.requirements[0]?.section).toEqual(["Commands"]);
  });

  it("finds commands and keys them by sub-command once the program name is known", () => {
    const cli = parseSpec("# t\n## Commands\n- `todo add <text>` adds\n- `todo list --all` lists\n");
    expect(cli.program).toBe("todo");
    expect(cli.requirements.map((r) => r.entities.find((e) => e.kind === "command")?.key)).toEqual(["add", "list"]);
  });

  it("never throws, whatever the text", () => {
    for (const text of ["", "```\nunclosed", "| a |", "#", "- \n  - \n", "\u0000\u0001", "# A\n=\n---\n***"]) expect(() => parseSpec(text)).not.toThrow();
  });
});

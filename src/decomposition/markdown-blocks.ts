/**
 * A line-oriented reader for specifications: Markdown (ATX and setext headings, bullet, numbered and checkbox
 * lists with nesting, tables, fenced code) and plain text (short lines ending in ":" or in capitals become
 * headings). It keeps 1-based line numbers so that every requirement can be traced to its source.
 */

export type Block =
  | { kind: "heading"; level: number; text: string; line: number }
  | { kind: "item"; text: string; line: number; children: string[]; checked: boolean; details: string[] }
  | { kind: "row"; cells: string[]; header: string[]; line: number }
  | { kind: "paragraph"; text: string; line: number; lines: string[] }
  | { kind: "code"; text: string; line: number };

type ItemBlock = Extract<Block, { kind: "item" }>;

const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const FENCE = /^\s*(```+|~~~+)/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+•]|\d{1,3}[.)]|[a-z][.)])\s+(.*)$/;
const CHECKBOX = /^\[([ xX])\]\s+/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function indentOf(raw: string): number {
  const lead = /^[ \t]*/.exec(raw)?.[0] ?? "";
  return lead.replace(/\t/g, "    ").length;
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((c) => c.trim());
}

/** Whether the text uses Markdown structure at all; plain text gets the lighter heading rules. */
function looksLikeMarkdown(lines: readonly string[]): boolean {
  return lines.some((l, i) => ATX.test(l) || (l.trim().length > 0 && SETEXT.test(lines[i + 1] ?? "") && !ITEM.test(l)) || TABLE_ROW.test(l));
}

function isPlainHeading(line: string, prev: string | undefined, next: string | undefined): boolean {
  const t = line.trim();
  if (t.length < 3 || t.length > 60 || (prev ?? "").trim().length > 0) return false;
  if (ITEM.test(line)) return false;
  if (/:$/.test(t) && (next ?? "").trim().length > 0) return true;
  return /^[A-Z][A-Z0-9 &/-]+$/.test(t) && /[A-Z]{3}/.test(t);
}

/** Reads a specification into blocks, in order. */
export function toBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const markdown = looksLikeMarkdown(lines);
  const blocks: Block[] = [];
  let paragraph: { lines: string[]; line: number } | undefined;
  let item: ItemBlock | undefined;
  let itemIndent = 0;
  let afterBlank = false;
  let table: { header: string[] } | undefined;
  let fence: { marker: string; lines: string[]; line: number; inItem: boolean } | undefined;
  let sawContent = false;

  const flushParagraph = (): void => {
    if (paragraph) blocks.push({ kind: "paragraph", text: paragraph.lines.join(" "), line: paragraph.line, lines: paragraph.lines });
    paragraph = undefined;
  };
  const flushItem = (): void => {
    if (item) blocks.push(item);
    item = undefined;
  };
  const flushAll = (): void => {
    flushParagraph();
    flushItem();
    table = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const lineNo = i + 1;
    if (fence) {
      if (raw.trim().startsWith(fence.marker)) {
        const code = fence.lines.join("\n");
        if (fence.inItem && item) item.details.push(code);
        else blocks.push({ kind: "code", text: code, line: fence.line });
        fence = undefined;
      } else fence.lines.push(raw);
      continue;
    }
    const fenceMatch = FENCE.exec(raw);
    if (fenceMatch) {
      flushParagraph();
      const inItem = item !== undefined && indentOf(raw) > itemIndent;
      if (!inItem) flushItem();
      fence = { marker: fenceMatch[1] ?? "```", lines: [], line: lineNo, inItem };
      continue;
    }
    if (raw.trim().length === 0) {
      flushParagraph();
      table = undefined;
      afterBlank = true;
      continue;
    }
    const atx = ATX.exec(raw);
    if (atx) {
      flushAll();
      blocks.push({ kind: "heading", level: (atx[1] ?? "#").length, text: atx[2] ?? "", line: lineNo });
      afterBlank = false;
      sawContent = true;
      continue;
    }
    const next = lines[i + 1];
    if (markdown && !paragraph && !item && !ITEM.test(raw) && !TABLE_ROW.test(raw) && next !== undefined && SETEXT.exec(next) && !RULE.test(raw)) {
      flushAll();
      blocks.push({ kind: "heading", level: next.trim().startsWith("=") ? 1 : 2, text: raw.trim(), line: lineNo });
      i++;
      afterBlank = false;
      sawContent = true;
      continue;
    }
    if (RULE.test(raw)) {
      flushAll();
      continue;
    }
    if (!markdown) {
      const t = raw.trim();
      if (!sawContent && t.length <= 80 && !/[.!?]$/.test(t) && !ITEM.test(raw) && (next ?? "").trim().length === 0) {
        blocks.push({ kind: "heading", level: 1, text: t.replace(/:$/, ""), line: lineNo });
        sawContent = true;
        continue;
      }
      if (isPlainHeading(raw, lines[i - 1], next)) {
        flushAll();
        blocks.push({ kind: "heading", level: 2, text: t.replace(/:$/, ""), line: lineNo });
        sawContent = true;
        continue;
      }
    }
    sawContent = true;
    if (TABLE_ROW.test(raw)) {
      flushParagraph();
      flushItem();
      if (TABLE_SEPARATOR.test(raw)) continue;
      if (!table) table = { header: splitRow(raw) };
      else blocks.push({ kind: "row", cells: splitRow(raw), header: table.header, line: lineNo });
      continue;
    }
    table = undefined;
    const itemMatch = ITEM.exec(raw);
    if (itemMatch) {
      flushParagraph();
      const indent = indentOf(raw);
      let content = (itemMatch[3] ?? "").trim();
      const box = CHECKBOX.exec(content);
      const checked = box !== null && box[1] !== " ";
      if (box) content = content.slice(box[0].length);
      if (item && indent > itemIndent + 1) {
        item.children.push(content);
      } else {
        flushItem();
        item = { kind: "item", text: content, line: lineNo, children: [], checked, details: [] };
        itemIndent = indent;
      }
      afterBlank = false;
      continue;
    }
    if (item && (indentOf(raw) > itemIndent || !afterBlank)) {
      // A continuation line belongs to the last child if there is one, else to the item itself.
      const last = item.children.length - 1;
      if (last >= 0 && indentOf(raw) > itemIndent + 2) item.children[last] = `${item.children[last] ?? ""} ${raw.trim()}`;
      else if (afterBlank) item.details.push(raw.trim());
      else item.text = `${item.text} ${raw.trim()}`;
      afterBlank = false;
      continue;
    }
    flushItem();
    if (paragraph) paragraph.lines.push(raw.trim());
    else paragraph = { lines: [raw.trim()], line: lineNo };
    afterBlank = false;
  }
  if (fence) blocks.push({ kind: "code", text: fence.lines.join("\n"), line: fence.line });
  flushAll();
  return blocks;
}

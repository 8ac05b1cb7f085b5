/**
 * Specification → requirements. Offline and deterministic: the same text always yields the same requirements
 * with the same ids, so plans are reproducible and diffs of a spec give diffs of a plan.
 */
import type { Priority, TaskCategory } from "../core/index.js";
import { extractEntities, keyCommands, programName, type Entity } from "./entities.js";
import { toBlocks, type Block } from "./markdown-blocks.js";
import { capitalize, nameVariants, words } from "./names.js";
import { hasRequirementKeyword, labelPriority, LEADING_LABEL, modalPriority, stripPriorityMarks, usesLowercaseKeywords, weakerPriority, type PriorityMark } from "./priority.js";
import { categoryOfPath, roleOfHeading, roleOfPath, type SectionRole } from "./section-roles.js";

export interface Requirement {
  /** "R7", or the spec's own id ("FR-2", "REQ-12") when it gives one. */
  id: string;
  text: string;
  /** 1-based line in the spec. */
  line: number;
  /** Heading path, outermost first (the document title excluded). */
  section: string[];
  role: SectionRole;
  /** Category implied by headings or content; the task generator decides when undefined. */
  category: TaskCategory | undefined;
  priority: Priority;
  acceptance: string[];
  entities: Entity[];
  /** The data model this requirement defines (data-model sections only). */
  defines?: string;
  /** Code blocks and extra lines handed to the session verbatim. */
  details: string[];
}

export interface ParsedSpec {
  title: string | undefined;
  /** Overview and background prose: context for every session. */
  context: string;
  requirements: Requirement[];
  /** Criteria from "Acceptance criteria" subsections, keyed by the section path they belong to (joined by " > "). */
  sectionAcceptance: Map<string, string[]>;
  /** Prose of each section, by path key: context for that section's tasks. */
  sectionProse: Map<string, string[]>;
  models: string[];
  program: string | undefined;
  /** Languages and frameworks named in the spec, lower case. */
  stack: string[];
}

const STACK_WORDS = ["typescript", "javascript", "node", "python", "go", "golang", "rust", "java", "react", "vue", "svelte", "express", "fastify", "hono", "flask", "fastapi", "django", "sqlite", "postgresql", "postgres", "mysql", "vitest", "jest", "pytest", "vite", "next.js", "commander", "zod"];

export const pathKey = (path: readonly string[]): string => path.join(" > ");

function clean(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_]([^*_\s][^*_]*?)[*_](?=\W|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

// P0–P3 are priorities, not ids.
const EXPLICIT_ID = /^\[?((?!P[0-3]\b)[A-Z]{1,6}-?\d{1,5})\]?\s*[:.)—–-]\s+/;
const SECTION_NUMBER = /^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+(?=\S)/;

/** A sentence that joins two requirements of different strength ("must block holidays and should show gaps"). */
function compoundParts(sentence: string): string[] {
  const joint = /(?:,?\s+(?:and|but)|;)\s+(?=(?:it\s+|they\s+)?(?:must|should|may|shall|could)\b)/i.exec(sentence);
  if (!joint) return [sentence];
  const first = sentence.slice(0, joint.index);
  const second = sentence.slice(joint.index + joint[0].length);
  const modal = (t: string): string | undefined => /\b(must|should|may|shall|could)\b/i.exec(t)?.[1]?.toLowerCase();
  if (modal(first) === undefined || modal(first) === modal(second)) return [sentence];
  const subject = /^(.*?)\s+(?:must|should|may|shall|could)\b/i.exec(first)?.[1] ?? "";
  const rest = /^(?:it|they)\s+/i.test(second) || subject.length === 0 ? second : `${subject} ${second}`;
  return [`${first}.`, `${rest.charAt(0).toUpperCase()}${rest.slice(1)}`];
}

/** An RFC 2119 keyword in capitals: a requirement wherever it stands. */
const STATED_REQUIREMENT = /\b(?:MUST|SHALL|SHOULD|REQUIRED)\b/;
/** The sentence that explains the keywords themselves ("The key words MUST… are to be read as in RFC 2119"). */
const ABOUT_KEYWORDS = /\bRFC ?2119\b|\bBCP ?14\b|\bkey ?words\b/i;

/** "A station has…", "Each reading belongs to…": a sentence in a data-model section that defines an entity. */
const DEFINING_SENTENCE = /^(?:An?|Each|Every|The)\s+`?([A-Za-z][A-Za-z0-9]*(?: [a-z][a-z0-9]*)?)`?\s+(?:has|have|holds|belongs|contains|consists|carries|stores|records|keeps|owns|is made of|is identified)\b/;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z`"(])/).map((s) => s.trim()).filter((s) => s.length > 2);
}

/** The entity an item in a data-model section defines: a leading code span, bold name or capitalised word. */
function definedName(raw: string): { name: string; rest: string } | undefined {
  const m = /^(?:`([^`]+)`|\*\*([^*]+)\*\*|([A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)?))\s*(?:[:—–(-]\s*|$)(.*)$/.exec(raw.trim());
  if (!m) return undefined;
  const name = (m[1] ?? m[2] ?? m[3] ?? "").trim();
  if (!/^[A-Za-z][A-Za-z0-9 _]{0,40}$/.test(name)) return undefined;
  return { name, rest: (m[4] ?? "").trim() };
}

interface Candidate {
  text: string;
  line: number;
  acceptance: string[];
  details: string[];
  kind: "item" | "row" | "sentence";
  /** Raw first cell / leading text, for data-model names. */
  raw: string;
  explicitId?: string;
  /** A priority label the item starts with ("P0:", "MUST:"), stripped from its text. */
  label?: PriorityMark;
}

interface SectionState {
  path: string[];
  /** Priority labels of the headings on the path, and their modal verbs, outermost first. */
  labels: PriorityMark[];
  modals: (Priority | undefined)[];
  line: number;
  role: SectionRole;
  candidates: Candidate[];
  prose: string[];
  code: string[];
}

/** Parses a specification into requirements. Never throws on any text. */
export function parseSpec(text: string): ParsedSpec {
  const blocks = toBlocks(text);
  let title: string | undefined;
  const titleBlock = blocks.find((b) => b.kind === "heading");
  const singleH1 = titleBlock?.kind === "heading" && titleBlock.level === 1 && blocks.filter((b) => b.kind === "heading" && b.level === 1).length === 1;
  if (singleH1 && titleBlock.kind === "heading") title = clean(titleBlock.text);

  const requirements: Requirement[] = [];
  const sectionAcceptance = new Map<string, string[]>();
  const sectionProse = new Map<string, string[]>();
  const contextLines: string[] = [];
  const usedIds = new Set<string>();
  const pending: { req: Omit<Requirement, "id">; explicitId: string | undefined }[] = [];
  const headingStack: { level: number; text: string; label: PriorityMark; modal: Priority | undefined }[] = [];
  const lowercase = usesLowercaseKeywords(text);
  const hasSections = blocks.some((b) => b.kind === "heading" && b !== titleBlock);
  // Text before the first section is an introduction; a spec without sections is all requirements.
  let section: SectionState = { path: [], labels: [], modals: [], line: 1, role: hasSections ? "context" : "feature", candidates: [], prose: [], code: [] };

  const finishSection = (): void => {
    collectSection(section);
    // Prose includes the sentences collectSection set aside (dependency phrases live there).
    const key = pathKey(section.path);
    if (section.prose.length > 0) {
      const known = sectionProse.get(key);
      if (known) known.push(...section.prose);
      else sectionProse.set(key, section.prose);
    }
    section.candidates = [];
  };

  const collectSection = (s: SectionState): void => {
    if (s.role === "context") {
      contextLines.push(...s.prose, ...s.candidates.map((c) => (c.kind === "sentence" ? c.text : `- ${c.text}`)));
      // "## Goals" with "- Runs MUST resume after a crash": a requirement in a context section is still planned.
      for (const c of s.candidates) if (STATED_REQUIREMENT.test(c.text) && !ABOUT_KEYWORDS.test(c.text)) push(c, s, "feature");
      return;
    }
    if (s.role === "excluded") return;
    if (s.role === "acceptance") {
      const parent = s.path.slice(0, -1);
      const criteria = s.candidates.map((c) => c.text);
      if (parent.length > 0) {
        const pkey = pathKey(parent);
        sectionAcceptance.set(pkey, [...(sectionAcceptance.get(pkey) ?? []), ...criteria]);
        return;
      }
      // Top-level acceptance criteria are requirements of their own: the acceptance-test task owns them.
      for (const c of s.candidates) push(c, s, "test");
      return;
    }
    if (s.role === "data-model") {
      collectModels(s);
      return;
    }
    // Prose sentences are requirements when they say so (MUST, should…), or when the section has nothing else.
    const structured = s.candidates.some((c) => c.kind !== "sentence");
    const keyworded = s.candidates.some((c) => c.kind === "sentence" && hasRequirementKeyword(c.text, lowercase));
    for (const c of s.candidates) {
      if (c.kind === "sentence" && (structured || keyworded) && !hasRequirementKeyword(c.text, lowercase)) {
        if (s.path.length === 0) contextLines.push(c.text);
        s.prose.push(c.text);
        continue;
      }
      push(c, s, s.role);
    }
  };

  const collectModels = (s: SectionState): void => {
    const own = s.path[s.path.length - 1] ?? "";
    const ownRole = roleOfHeading(own);
    if (ownRole !== "data-model" && s.path.length > 0) {
      // "### Todo" under "## Data model": the heading names the entity; its items and rows are fields.
      const name = definedName(own)?.name ?? clean(own);
      const fields = s.candidates.filter((c) => c.kind !== "sentence").map((c) => c.text);
      const description = s.candidates.filter((c) => c.kind === "sentence").map((c) => c.text).join(" ");
      push({ text: description.length > 0 ? `${name}: ${description}` : `The ${name} model`, line: s.line, acceptance: fields, details: s.code, kind: "item", raw: name }, s, "data-model", name);
      return;
    }
    let planned = 0;
    for (const c of s.candidates) {
      if (c.kind === "sentence") {
        const defined = DEFINING_SENTENCE.exec(c.text)?.[1];
        if (defined !== undefined) push(c, s, "data-model", capitalize(defined));
        else if (hasRequirementKeyword(c.text, lowercase)) push(c, s, "data-model");
        else {
          s.prose.push(c.text);
          continue;
        }
        planned++;
        continue;
      }
      const def = definedName(c.raw);
      push(c, s, "data-model", def?.name);
      planned++;
    }
    // A data-model section of prose alone still needs a task: its text is the requirement.
    const prose = s.candidates.filter((c) => c.kind === "sentence");
    if (planned === 0 && prose.length > 0) push({ ...(prose[0] as Candidate), text: prose.map((c) => c.text).join(" ") }, s, "data-model");
  };

  const push = (c: Candidate, s: SectionState, role: SectionRole, defines?: string): void => {
    const priority = priorityOf(c, s);
    if (priority === "excluded") return;
    const cliContext = categoryOfPath(s.path) === "cli" || /\b(commands?|cli|flags?|sub-?commands?)\b/i.test(c.text);
    // Commands are read everywhere; outside a CLI context they count only once the spec's program is known.
    const entities = extractEntities(`${c.text} ${c.acceptance.join(" ")}`, true);
    if (!cliContext) noCliContext.add(pending.length);
    const category = categoryOfPath(s.path);
    const req: Omit<Requirement, "id"> = {
      text: c.text,
      line: c.line,
      section: s.path,
      role,
      category,
      priority,
      acceptance: c.acceptance,
      entities,
      details: [...c.details, ...(s.code.length > 0 && c === s.candidates[s.candidates.length - 1] ? s.code : [])],
    };
    if (defines !== undefined) req.defines = defines;
    pending.push({ req, explicitId: c.explicitId });
  };

  /** The requirement's own label; else its section's label, lowered by its own modal verb; else that verb. */
  function priorityOf(c: Candidate, s: SectionState): Priority | "excluded" {
    const own = c.label ?? labelPriority(c.text);
    if (own !== undefined) return own;
    const modal = modalPriority(c.text, lowercase);
    let heading: PriorityMark;
    for (let i = s.labels.length - 1; heading === undefined && i >= 0; i--) heading = s.labels[i];
    if (heading === "excluded") return "excluded";
    if (heading !== undefined) return modal !== undefined ? weakerPriority(heading, modal) : heading;
    let headingModal: Priority | undefined;
    for (let i = s.modals.length - 1; headingModal === undefined && i >= 0; i--) headingModal = s.modals[i];
    return modal ?? headingModal ?? "P1";
  }
  const noCliContext = new Set<number>();

  for (const block of blocks) {
    handleBlock(block);
  }
  finishSection();

  function handleBlock(block: Block): void {
    switch (block.kind) {
      case "heading": {
        if (title !== undefined && block === titleBlock) return;
        finishSection();
        while (headingStack.length > 0 && (headingStack[headingStack.length - 1]?.level ?? 0) >= block.level) headingStack.pop();
        // "2.3 Ingestion" and "B. Ingestion" are named "Ingestion".
        const raw = clean(block.text).replace(SECTION_NUMBER, "");
        headingStack.push({ level: block.level, text: stripPriorityMarks(raw), label: labelPriority(raw), modal: modalPriority(raw, lowercase) });
        const path = headingStack.map((h) => h.text);
        section = { path, labels: headingStack.map((h) => h.label), modals: headingStack.map((h) => h.modal), line: block.line, role: roleOfPath(path, false), candidates: [], prose: [], code: [] };
        return;
      }
      case "item": {
        if (block.checked) return; // a ticked checkbox is already done: nothing to plan
        addCandidate(block.text, block.line, block.children.map(clean), block.details, "item");
        return;
      }
      case "row": {
        const cells = block.cells.filter((c) => c.length > 0);
        if (cells.length === 0) return;
        addCandidate(cells.join(" — "), block.line, [], [], "row", cells[0]);
        return;
      }
      case "paragraph": {
        // Each sentence keeps the line it starts on.
        const starts: number[] = [];
        let offset = 0;
        for (const l of block.lines) {
          starts.push(offset);
          offset += l.length + 1;
        }
        let from = 0;
        let index = 0;
        for (const s of sentences(block.text)) {
          const at = Math.max(block.text.indexOf(s, from), 0);
          from = at + s.length;
          while (index + 1 < starts.length && (starts[index + 1] ?? 0) <= at) index++;
          for (const part of compoundParts(s)) addCandidate(part, block.line + index, [], [], "sentence");
        }
        return;
      }
      case "code": {
        section.code.push(block.text);
        return;
      }
    }
  }

  function addCandidate(rawText: string, line: number, acceptance: string[], details: string[], kind: Candidate["kind"], raw?: string): void {
    let textValue = clean(rawText);
    let explicitId: string | undefined;
    const idMatch = EXPLICIT_ID.exec(textValue);
    if (idMatch) {
      explicitId = idMatch[1];
      textValue = textValue.slice(idMatch[0].length);
    } else if (kind === "row" && raw !== undefined && /^[A-Z]{1,6}-?\d{1,5}$/.test(raw)) {
      explicitId = raw;
      textValue = textValue.slice(raw.length).replace(/^\s*—\s*/, "");
    }
    let label: PriorityMark;
    const labelMatch = LEADING_LABEL.exec(textValue);
    if (labelMatch) {
      label = labelPriority(labelMatch[0].replace(/^\s*\(?\[?\s*(must|should|may|could|shall)\b/i, (m) => m.toUpperCase()).replace(/^\s*([A-Z]+)\s*[:—–-]/, "($1)"));
      textValue = textValue.slice(labelMatch[0].length);
    }
    const candidate: Candidate = { text: textValue.trim(), line, acceptance: acceptance.filter((a) => a.length > 0), details, kind, raw: raw ?? rawText };
    if (explicitId !== undefined) candidate.explicitId = explicitId;
    if (label !== undefined) candidate.label = label;
    if (candidate.text.length > 0) section.candidates.push(candidate);
  }

  // Ids: the spec's own where given (made unique), else R1, R2… skipping any the spec uses.
  for (const p of pending) if (p.explicitId !== undefined) usedIds.add(p.explicitId);
  let counter = 0;
  const seen = new Set<string>();
  for (const p of pending) {
    let id = p.explicitId;
    if (id === undefined || seen.has(id)) {
      do id = `R${++counter}`;
      while (usedIds.has(id) || seen.has(id));
    }
    seen.add(id);
    requirements.push({ id, ...p.req });
  }

  const models = [...new Set(requirements.flatMap((r) => (r.defines !== undefined ? [r.defines] : [])))];
  linkModels(requirements, models);
  const spans = requirements.flatMap((r) => r.entities.filter((e) => e.kind === "command").map((e) => e.name));
  const program = programName(spans);
  const subs = new Set(spans.map((s) => s.split(/\s+/)).filter((t) => t[0] === program && t[1] !== undefined).map((t) => t[1] ?? ""));
  requirements.forEach((r, i) => {
    const entities = program === undefined && noCliContext.has(i) ? r.entities.filter((e) => e.kind !== "command") : r.entities;
    r.entities = keyCommands(entities, program, subs);
  });
  const lower = text.toLowerCase();
  const stack = STACK_WORDS.filter((w) => new RegExp(`(^|[^a-z.])${w.replace(".", "\\.")}([^a-z]|$)`).test(lower));
  return { title, context: contextLines.join("\n"), requirements, sectionAcceptance, sectionProse, models, program, stack };
}

/** Adds a model entity to every requirement that mentions a defined model, via a word index (linear time). */
function linkModels(requirements: Requirement[], models: readonly string[]): void {
  const byForm = new Map<string, string>();
  for (const m of models) for (const form of nameVariants(m)) if (!byForm.has(form)) byForm.set(form, m);
  if (byForm.size === 0) return;
  for (const r of requirements) {
    const ws = words(`${r.section.join(" ")} ${r.text} ${r.acceptance.join(" ")}`);
    const hits = new Set<string>();
    for (let i = 0; i < ws.length; i++) {
      const one = byForm.get(ws[i] ?? "");
      if (one !== undefined) hits.add(one);
      if (i + 1 < ws.length) {
        const two = byForm.get(`${ws[i] ?? ""} ${ws[i + 1] ?? ""}`);
        if (two !== undefined) hits.add(two);
      }
    }
    for (const m of hits) if (!r.entities.some((e) => e.kind === "model" && e.name === m)) r.entities.push({ kind: "model", name: m, key: m });
  }
}

/**
 * Notices when something other than kappa changed the user's checkout during a run: HEAD, the current branch,
 * any ref outside kappa's own `refs/heads/kappa/`, or the index (what is staged). `snapshotCheckout` is the thin
 * git adapter; `compareCheckout` is a pure function of two snapshots.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { git, gitText } from "./git.js";

/** Refs kappa itself creates and moves (integration and task branches of every run). */
export const KAPPA_REF_PREFIX = "refs/heads/kappa/";

export interface CheckoutSnapshot {
  /** HEAD's commit; undefined on an unborn branch. */
  head: string | undefined;
  /** The current branch (`refs/heads/main`), or undefined when HEAD is detached. */
  branch: string | undefined;
  /** Every ref outside `refs/heads/kappa/`, name → object. */
  refs: Record<string, string>;
  /** A digest of the staged entries (`git ls-files --stage`), not of the index file's stat data. */
  index: string;
  /** The index file's size and mtime: when they are unchanged, the digest is reused. */
  indexStat: string;
}

export type CheckoutChange =
  | { what: "head"; before: string | undefined; after: string | undefined }
  | { what: "branch"; before: string | undefined; after: string | undefined }
  | { what: "ref"; ref: string; before: string | undefined; after: string | undefined; restored?: boolean }
  | { what: "index" };

/** What differs between two snapshots of the user's checkout, in a stable order. */
export function compareCheckout(before: CheckoutSnapshot, after: CheckoutSnapshot): CheckoutChange[] {
  const changes: CheckoutChange[] = [];
  if (before.branch !== after.branch) changes.push({ what: "branch", before: before.branch, after: after.branch });
  if (before.head !== after.head) changes.push({ what: "head", before: before.head, after: after.head });
  const names = [...new Set([...Object.keys(before.refs), ...Object.keys(after.refs)])].sort();
  for (const ref of names) {
    if (before.refs[ref] !== after.refs[ref]) changes.push({ what: "ref", ref, before: before.refs[ref], after: after.refs[ref] });
  }
  if (before.index !== after.index) changes.push({ what: "index" });
  return changes;
}

/** One readable line per change. */
export function describeCheckoutChange(change: CheckoutChange): string {
  const short = (sha: string | undefined): string => (sha === undefined ? "nothing" : sha.slice(0, 12));
  switch (change.what) {
    case "branch":
      return `the current branch changed from ${change.before ?? "a detached HEAD"} to ${change.after ?? "a detached HEAD"}`;
    case "head":
      return `HEAD moved from ${short(change.before)} to ${short(change.after)}`;
    case "ref": {
      const restored = change.restored ? `; kappa put it back at ${short(change.before)}` : "";
      return `${change.after === undefined ? `${change.ref} was deleted (was ${short(change.before)})` : change.before === undefined ? `${change.ref} was created at ${short(change.after)}` : `${change.ref} moved from ${short(change.before)} to ${short(change.after)}`}${restored}`;
    }
    case "index":
      return "the staged changes (index) changed";
  }
}

/** A change as the `checkout:changed` event carries it: plain fields and its readable line. */
export function checkoutChangeRecord(change: CheckoutChange): { what: CheckoutChange["what"]; ref?: string; before?: string; after?: string; message: string } {
  const record: { what: CheckoutChange["what"]; ref?: string; before?: string; after?: string; message: string } = { what: change.what, message: describeCheckoutChange(change) };
  if (change.what === "ref") record.ref = change.ref;
  if (change.what !== "index" && change.before !== undefined) record.before = change.before;
  if (change.what !== "index" && change.after !== undefined) record.after = change.after;
  return record;
}

/**
 * The state of the user's checkout at `repo`. `previous` lets an unchanged index file skip re-reading the index.
 */
export async function snapshotCheckout(repo: string, signal?: AbortSignal, previous?: CheckoutSnapshot): Promise<CheckoutSnapshot> {
  // One git for both; on an unborn branch it prints "HEAD" and fails.
  const headOut = await git(["rev-parse", "HEAD", "--symbolic-full-name", "HEAD"], { cwd: repo, signal, okCodes: [0, 128] });
  const [first = "", second = ""] = headOut.stdout.split("\n");
  const head = /^[0-9a-f]{40,64}$/.test(first) ? first : undefined;
  const name = head ? second : first;
  const branch = name.startsWith("refs/") ? name : await symbolicHead(repo, signal);
  const refs: Record<string, string> = {};
  for (const line of (await gitText(["for-each-ref", "--format=%(objectname) %(refname)"], { cwd: repo, signal })).split("\n")) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    const ref = line.slice(space + 1);
    if (!ref.startsWith(KAPPA_REF_PREFIX)) refs[ref] = line.slice(0, space);
  }
  const indexStat = await indexFileStat(repo, signal);
  const index =
    previous && previous.indexStat === indexStat && indexStat !== ""
      ? previous.index
      : createHash("sha256").update((await git(["ls-files", "--stage", "-z"], { cwd: repo, signal })).stdout).digest("hex");
  return { head, branch, refs, index, indexStat };
}

/** The branch HEAD names on an unborn branch, undefined when detached. */
async function symbolicHead(repo: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const r = await git(["symbolic-ref", "-q", "HEAD"], { cwd: repo, signal, okCodes: [0, 1] });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

const indexPaths = new Map<string, string>();

async function indexFileStat(repo: string, signal: AbortSignal | undefined): Promise<string> {
  let path = indexPaths.get(repo);
  if (!path) {
    path = resolve(repo, await gitText(["rev-parse", "--git-path", "index"], { cwd: repo, signal }));
    indexPaths.set(repo, path);
  }
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return "";
  }
}

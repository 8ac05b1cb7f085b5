import { expect, test } from "vitest";
import { checkoutChangeRecord, compareCheckout, type CheckoutSnapshot } from "../../../src/workspace/index.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const base: CheckoutSnapshot = { head: A, branch: "refs/heads/main", refs: { "refs/heads/main": A, "refs/tags/v1": A }, index: "i1", indexStat: "s1" };

test("an unchanged checkout has no changes, whatever the index file's stat data says", () => {
  expect(compareCheckout(base, { ...base, indexStat: "s2", refs: { ...base.refs } })).toEqual([]);
});

test("a switched branch, a moved HEAD, moved, created and deleted refs and a changed index are each reported", () => {
  const after: CheckoutSnapshot = { head: B, branch: "refs/heads/hijacked", refs: { "refs/heads/main": B, "refs/heads/hijacked": B }, index: "i2", indexStat: "s2" };
  const changes = compareCheckout(base, after);
  expect(changes).toEqual([
    { what: "branch", before: "refs/heads/main", after: "refs/heads/hijacked" },
    { what: "head", before: A, after: B },
    { what: "ref", ref: "refs/heads/hijacked", before: undefined, after: B },
    { what: "ref", ref: "refs/heads/main", before: A, after: B },
    { what: "ref", ref: "refs/tags/v1", before: A, after: undefined },
    { what: "index" },
  ]);
  expect(changes.map((c) => checkoutChangeRecord(c).message)).toEqual([
    "the current branch changed from refs/heads/main to refs/heads/hijacked",
    `HEAD moved from ${A.slice(0, 12)} to ${B.slice(0, 12)}`,
    `refs/heads/hijacked was created at ${B.slice(0, 12)}`,
    `refs/heads/main moved from ${A.slice(0, 12)} to ${B.slice(0, 12)}`,
    `refs/tags/v1 was deleted (was ${A.slice(0, 12)})`,
    "the staged changes (index) changed",
  ]);
});

test("a detached HEAD is named as such", () => {
  const [change] = compareCheckout(base, { ...base, branch: undefined });
  expect(checkoutChangeRecord(change!)).toEqual({ what: "branch", before: "refs/heads/main", message: "the current branch changed from refs/heads/main to a detached HEAD" });
});

/**
 * The guard on the user's checkout: the snapshot taken when this process started driving the run (before any
 * of its sessions started), compared after every merge and at the end with what is there now, plus moves of
 * the integration branch by anything but kappa (each already undone by the IntegrationBranch). A new snapshot
 * (git) is taken only when the repository's files say something may have changed (checkoutFingerprint).
 */
import { checkoutFingerprint, compareCheckout, snapshotCheckout, type CheckoutSnapshot } from "../workspace/index.js";
import type { RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";

export function checkoutPort(ctx: RunContext): Pick<RunPorts, "checkCheckout"> {
  const baseline = snapshotCheckout(ctx.repo);
  baseline.catch(() => undefined); // awaited (and its failure reported) by checkCheckout
  let latest: CheckoutSnapshot | undefined;
  /** The fingerprint taken just before `latest` was: while it is unchanged, so is the checkout. */
  let latestPrint: string | undefined;
  return {
    async checkCheckout(signal, options) {
      if (options?.integrationBranch) await ctx.branch.guard(signal);
      const base = await baseline;
      const print = checkoutFingerprint(ctx.repo);
      if (!latest || print === undefined || print !== latestPrint) {
        latest = await snapshotCheckout(ctx.repo, signal, latest ?? base);
        latestPrint = print;
      }
      return [...ctx.branch.foreignMoves, ...compareCheckout(base, latest)];
    },
  };
}

/**
 * The guard on the user's checkout: the snapshot taken when this process started driving the run (before any
 * of its sessions started), compared after every merge and at the end with what is there now, plus moves of
 * the integration branch by anything but kappa (each already undone by the IntegrationBranch).
 */
import { compareCheckout, snapshotCheckout, type CheckoutSnapshot } from "../workspace/index.js";
import type { RunPorts } from "./ports.js";
import type { RunContext } from "./run-context.js";

export function checkoutPort(ctx: RunContext): Pick<RunPorts, "checkCheckout"> {
  const baseline = snapshotCheckout(ctx.repo);
  baseline.catch(() => undefined); // awaited (and its failure reported) by checkCheckout
  let latest: CheckoutSnapshot | undefined;
  return {
    async checkCheckout(signal, options) {
      if (options?.integrationBranch) await ctx.branch.guard(signal);
      latest = await snapshotCheckout(ctx.repo, signal, latest ?? (await baseline));
      return [...ctx.branch.foreignMoves, ...compareCheckout(await baseline, latest)];
    },
  };
}

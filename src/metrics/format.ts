/** How cost and token counts read for a human: compact, and never "$0.00" for a session that did cost something. */

/** `$0.0042`, `$0.42`, `$12.30`, `$1,234`. */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd)) return "$?";
  const sign = usd < 0 ? "-" : "";
  const v = Math.abs(usd);
  if (v === 0) return "$0.00";
  if (v < 0.01) return `${sign}$${v.toFixed(4)}`;
  if (v < 1000) return `${sign}$${v.toFixed(2)}`;
  return `${sign}$${Math.round(v).toLocaleString("en-US")}`;
}

/** `950`, `12.3k`, `4.5M`. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return "?";
  const v = Math.abs(n);
  if (v < 1000) return String(Math.round(n));
  if (v < 1_000_000) return `${trim((n / 1000).toFixed(v < 10_000 ? 2 : 1))}k`;
  return `${trim((n / 1_000_000).toFixed(v < 10_000_000 ? 2 : 1))}M`;
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

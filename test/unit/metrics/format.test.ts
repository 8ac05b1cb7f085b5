import { describe, expect, it } from "vitest";
import { formatCost, formatTokens } from "../../../src/metrics/index.js";

describe("cost and token formatting", () => {
  it("shows small costs with enough digits to be non-zero", () => {
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.0042)).toBe("$0.0042");
    expect(formatCost(0.42)).toBe("$0.42");
    expect(formatCost(12.3)).toBe("$12.30");
    expect(formatCost(1234.5)).toBe("$1,235");
  });

  it("abbreviates token counts", () => {
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1000)).toBe("1k");
    expect(formatTokens(12_345)).toBe("12.3k");
    expect(formatTokens(4_500_000)).toBe("4.5M");
  });
});

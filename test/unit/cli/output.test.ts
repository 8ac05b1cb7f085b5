import { describe, expect, it } from "vitest";
import { formatError } from "../../../src/cli/output.js";
import { ConfigError } from "../../../src/core/index.js";

describe("error messages", () => {
  it("print bad input as one error line and one fix line", () => {
    expect(formatError(new ConfigError("bad value", { hint: "fix it" }), undefined)).toBe("error: bad value\n  fix: fix it");
  });

  it("point an unexpected error to the log file only when one was written", () => {
    const withLog = formatError(new TypeError("x is undefined"), undefined, false, "/p/.kappa/logs/kappa.log");
    expect(withLog).toBe("error: x is undefined\n  fix: this is a bug in kappa; report it with the log in /p/.kappa/logs/kappa.log");
    const without = formatError(new TypeError("x is undefined"), undefined, false, undefined);
    expect(without).not.toContain(".kappa/logs");
    expect(without).toContain("KAPPA_DEBUG=1");
    expect(without.split("\n")).toHaveLength(2);
  });
});

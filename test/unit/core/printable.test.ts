import { describe, expect, it } from "vitest";
import { printable, printableDeep } from "../../../src/core/index.js";

describe("text from specs, plans and sessions made safe for a terminal", () => {
  it("removes colour, cursor, window-title and hyperlink escapes, keeping the words", () => {
    expect(printable("\u001b[1;31mbold red\u001b[0m \u001b[2J\u001b[Hcleared \u001b]0;title\u0007x \u001b]8;;http://e\u001b\\link\u001b]8;;\u001b\\")).toBe("bold red cleared x link");
  });

  it("removes BEL, backspace, carriage return, DEL and C1 codes, but keeps newlines unless asked for one line", () => {
    expect(printable("a\u0007b\bc\rd\u007fe\u009b2Jf\u0085g\nh\ti")).toBe("abcdefg\nh\ti");
    expect(printable("a\nb\tc\rd", { oneLine: true })).toBe("a b c d");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    expect(printable("Café — 日本語 ✓ 🚀 [x] ~/path")).toBe("Café — 日本語 ✓ 🚀 [x] ~/path");
  });

  it("cleans every string inside an event, leaving numbers and structure", () => {
    expect(printableDeep({ type: "task:failed", taskId: "a", reason: "\u001b[31mboom\u0007", files: ["x\u001b[Ky"], n: 3 })).toEqual({ type: "task:failed", taskId: "a", reason: "boom", files: ["xy"], n: 3 });
  });
});

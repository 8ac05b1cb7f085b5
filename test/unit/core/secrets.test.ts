import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REDACTED, Scrubber, createLogger, secretValues } from "../../../src/core/index.js";
import { tempDir } from "../../helpers/git.js";

const SECRET = "sk-ant-test-secret-0123456789";
const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe("secrets scrubber", () => {
  it("finds the values of secret-looking environment variables, not ordinary ones", () => {
    const values = secretValues({ ANTHROPIC_API_KEY: SECRET, GITHUB_TOKEN: "ghp_abcdef", PATH: "/usr/bin:/bin", SHORT_KEY: "abc" });
    expect(values).toContain(SECRET);
    expect(values).toContain("ghp_abcdef");
    expect(values).not.toContain("/usr/bin:/bin");
    expect(values).not.toContain("abc");
  });

  it("replaces a secret wherever it appears in text, the longer secret first", () => {
    const scrubber = new Scrubber([SECRET, "sk-ant-test"]);
    expect(scrubber.text(`curl -H "x-api-key: ${SECRET}" twice ${SECRET}`)).toBe(`curl -H "x-api-key: ${REDACTED}" twice ${REDACTED}`);
    expect(scrubber.text("nothing secret here")).toBe("nothing secret here");
  });

  it("extends a scrubber with more secrets without forgetting the ones it had", () => {
    const scrubber = new Scrubber([SECRET]).with(["account-key-123456"]);
    expect(scrubber.text(`${SECRET} and account-key-123456`)).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it("redacts the password of any URL it sees, even one it was not told about, and keeps the rest of the URL", () => {
    const scrubber = new Scrubber([]);
    expect(scrubber.text("cannot reach postgresql://kappa:s3cr3t-pw@127.0.0.1:5432/db now")).toBe(`cannot reach postgresql://kappa:${REDACTED}@127.0.0.1:5432/db now`);
    expect(scrubber.text("see https://example.test/a:b and user@host")).toBe("see https://example.test/a:b and user@host");
  });

  it("redacts the value of every secret-looking NAME=value in text, also of variables kappa never knew, but not counts", () => {
    const scrubber = new Scrubber([]);
    const dump = "PATH=/bin\nCLAUDE_CODE_MESSAGING_TOKEN=4728ecc2d70bbffafb8811209f101a38\nexport DB_PASSWORD='p w'\nAWS_SECRET_ACCESS_KEY=\"abc\" MAX_TOKENS=4096";
    expect(scrubber.text(dump)).toBe(`PATH=/bin\nCLAUDE_CODE_MESSAGING_TOKEN=${REDACTED}\nexport DB_PASSWORD=${REDACTED}\nAWS_SECRET_ACCESS_KEY=${REDACTED} MAX_TOKENS=4096`);
    const line = JSON.stringify({ text: 'A_TOKEN=abc"\nB_KEY=xyz\\' });
    expect(JSON.parse(scrubber.text(line))).toEqual({ text: `A_TOKEN=${REDACTED}"\nB_KEY=${REDACTED}\\` });
  });

  it("redacts secrets inside nested objects, arrays, errors and under secret-looking keys, without touching token counts", () => {
    const scrubber = new Scrubber([SECRET]);
    const out = scrubber.value({
      env: { ANTHROPIC_API_KEY: "unknown-but-secret-key-value" },
      args: ["--key", SECRET],
      err: new Error(`auth failed for ${SECRET}`),
      usage: { inputTokens: 10, outputTokens: 20 },
      maxTokens: "4096",
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("unknown-but-secret-key-value");
    expect(out).toMatchObject({ usage: { inputTokens: 10, outputTokens: 20 }, maxTokens: "4096" });
  });
});

describe("logger", () => {
  it("never writes a secret value to the log file, whether in a message, an argument, an object or an error", () => {
    const d = tempDir();
    dirs.push(d);
    const logDir = join(d.dir, "logs");
    const logger = createLogger({ level: "info", logDir, stderr: false, scrubber: new Scrubber(secretValues({ ANTHROPIC_API_KEY: SECRET })) });
    logger.info(`starting with key ${SECRET}`);
    logger.info({ env: { ANTHROPIC_API_KEY: SECRET }, note: `inline ${SECRET}` }, "environment");
    logger.warn("formatted %s", SECRET);
    logger.error({ err: new Error(`request failed: ${SECRET}`) }, "request failed");
    logger.debug({ apiKey: "a-key-the-scrubber-does-not-know" }, "debug goes to the file");
    logger.error(new Error(`thrown with ${SECRET}`));
    logger.child({ key: SECRET }).info("child logger");
    logger.flush();
    const text = readFileSync(join(logDir, "kappa.log"), "utf8");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(7);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("a-key-the-scrubber-does-not-know");
    expect(text).toContain(REDACTED);
    expect(text).toContain("request failed");
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: `starting with key ${REDACTED}` });
  });
});

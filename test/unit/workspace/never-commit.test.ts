import { expect, test } from "vitest";
import { DEFAULT_NEVER_COMMIT, keptOutFiles } from "../../../src/workspace/index.js";

const noNpmrc = (): undefined => undefined;

test("an agent CLI's half-written temp files and default secret files are kept out; ordinary files are not", () => {
  const paths = ["tasks/x.md.tmp.4242.1a2b3c4d", "src/app.ts", ".env", "config/.env.local", "certs/server.pem", "deploy/tls.key", "home/id_rsa", "id_rsa.pub", "docs/keys.md", "src/tmp.ts", "a.tmp.12.zz"];
  expect(keptOutFiles(paths, DEFAULT_NEVER_COMMIT, noNpmrc)).toEqual([
    { path: "tasks/x.md.tmp.4242.1a2b3c4d", reason: "temp-file" },
    { path: ".env", reason: "secret-file" },
    { path: "config/.env.local", reason: "secret-file" },
    { path: "certs/server.pem", reason: "secret-file" },
    { path: "deploy/tls.key", reason: "secret-file" },
    { path: "home/id_rsa", reason: "secret-file" },
    { path: "id_rsa.pub", reason: "secret-file" },
  ]);
});

test("an .npmrc is kept out only when it holds a token", () => {
  const npmrc: Record<string, string> = { ".npmrc": "registry=https://r.example/\n//r.example/:_authToken=npm_abc\n", "pkg/.npmrc": "save-exact=true\n" };
  expect(keptOutFiles(Object.keys(npmrc), [], (p) => npmrc[p])).toEqual([{ path: ".npmrc", reason: "secret-file" }]);
});

test("neverCommit globs with a slash match from the repository root; without one, at any depth", () => {
  expect(keptOutFiles(["secrets/a.json", "app/secrets/a.json", "x/credentials.json"], ["secrets/**", "credentials.json"], noNpmrc).map((f) => f.path)).toEqual(["secrets/a.json", "x/credentials.json"]);
});

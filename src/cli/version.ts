import { readFileSync } from "node:fs";

/** kappa's own version, from package.json. */
export function kappaVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

import { NotGitRepoError } from "../core/index.js";
import { gitText } from "./git.js";

/** The top of the git repository containing `dir`, or {@link NotGitRepoError}. */
export async function findRepoRoot(dir: string, signal?: AbortSignal): Promise<string> {
  try {
    return await gitText(["rev-parse", "--show-toplevel"], { cwd: dir, signal });
  } catch (cause) {
    throw new NotGitRepoError(dir, { cause });
  }
}

/** `git version` as [major, minor, patch]. */
export async function gitVersion(): Promise<[number, number, number]> {
  const text = await gitText(["version"], { cwd: process.cwd() });
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

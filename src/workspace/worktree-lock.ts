/**
 * `git worktree add/remove/prune` are not safe to run at the same time on one repository: one may read the
 * half-written administrative directory of another ("failed to read .git/worktrees/<x>/commondir"). Inside a
 * process they are serialised per repository; a collision with another process is retried once.
 */
import { GitError, sleep } from "../core/index.js";

const tails = new Map<string, Promise<unknown>>();

export async function withWorktreeLock<T>(repo: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(repo) ?? Promise.resolve();
  const run = previous.then(() => retryOnce(fn), () => retryOnce(fn));
  const tail = run.catch(() => undefined);
  tails.set(repo, tail);
  try {
    return await run;
  } finally {
    if (tails.get(repo) === tail) tails.delete(repo);
  }
}

async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof GitError) || !/\.git\/worktrees\/|index\.lock|could not lock/.test(`${error.message}\n${error.stderr}`)) throw error;
    await sleep(150 + Math.random() * 150);
    return fn();
  }
}

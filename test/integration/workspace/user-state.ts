/** What a user sees of their own checkout; kappa must leave every bit of it as it was. */
import { gitIn } from "../../helpers/git.js";

export interface UserState {
  head: string;
  branch: string;
  status: string;
  index: string;
  diff: string;
}

export function userState(repo: string): UserState {
  return {
    head: gitIn(repo, "rev-parse", "HEAD"),
    branch: gitIn(repo, "symbolic-ref", "HEAD"),
    status: gitIn(repo, "status", "--porcelain", "--untracked-files=all"),
    index: gitIn(repo, "ls-files", "--stage"),
    diff: gitIn(repo, "diff", "HEAD"),
  };
}

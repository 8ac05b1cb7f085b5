export { git, gitText } from "./git.js";
export type { GitOptions, GitResult } from "./git.js";
export { findRepoRoot, gitVersion } from "./repo.js";

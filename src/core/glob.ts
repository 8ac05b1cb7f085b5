/**
 * Path globs as in `.gitattributes`, used by `conflictStrategies` rules and `neverCommit`: `**` any depth, `*`
 * within a segment, `?` one character; a glob without `/` matches the file name at any depth, and a leading `/`
 * anchors a glob at the project's root.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const regex = new RegExp(glob.includes("/") ? `^${re.replace(/^\//, "")}$` : `^(?:.*/)?${re}$`);
  cache.set(glob, regex);
  return regex;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

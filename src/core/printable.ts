/**
 * Text that came from a user's spec, plan or a session, made safe for a terminal and a commit message: ANSI
 * escape sequences (colours, cursor moves, window titles, hyperlinks) and other control characters (BEL,
 * backspace, carriage return, C1 codes) are removed, so that a task title cannot rewrite the screen, ring the
 * bell or hide text in `git log`.
 */

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-character escapes, then any control character left.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_LINES = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` without escape sequences and control characters. Newlines and tabs are kept unless `oneLine`, which
 * turns them into spaces (titles, commit subjects).
 */
export function printable(text: string, options: { oneLine?: boolean } = {}): string {
  const stripped = text.replace(ESCAPES, "");
  return options.oneLine === true ? stripped.replace(/[\n\t\r]/g, " ").replace(CONTROL_AND_LINES, "") : stripped.replace(CONTROL, "");
}

/** A copy of `value` with {@link printable} applied to every string in it (events before they are printed). */
export function printableDeep<T>(value: T): T {
  if (typeof value === "string") return printable(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => printableDeep(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableDeep(v)])) as T;
  }
  return value;
}

// @ts-check
// A small helper process that starts git processes for kappa (see git-runner.ts). Starting a process from
// kappa itself means forking a process of a few hundred MiB: about 1–2 ms of kernel time, with kappa's main
// thread blocked, many times per task. Forking this small process instead costs a fraction of that. Messages
// over the IPC channel:
//   in:  { type: "run", id, args, cwd, env, input? }   { type: "kill", id }
//   out: { id, code, stdout, stderr }                   { id, error: { message, code } }
// git runs in its own process group, so a Ctrl-C in kappa's terminal (which asks kappa to finish what is
// running) does not kill a commit halfway; this helper ignores it too, and exits when kappa goes away.
import { spawn } from "node:child_process";

/** @type {Map<number, import("node:child_process").ChildProcess>} */
const children = new Map();

/** @param {object} message */
function send(message) {
  if (process.connected) process.send?.(message);
}

process.on("SIGINT", () => undefined);
process.on("disconnect", () => process.exit(0));
process.on("message", (/** @type {any} */ message) => {
  if (message.type === "kill") {
    // git leads its own process group: stop what it started too (hooks, aliases, credential helpers).
    const child = children.get(message.id);
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
    return;
  }
  const { id, args, cwd, env, input } = message;
  let done = false;
  /** @param {object} reply */
  const reply = (reply) => {
    if (done) return;
    done = true;
    children.delete(id);
    send({ id, ...reply });
  };
  /** @param {unknown} error */
  const failed = (error) => {
    const e = /** @type {NodeJS.ErrnoException} */ (error);
    reply({ error: { message: e.message, code: e.code } });
  };
  /** @type {import("node:child_process").ChildProcessWithoutNullStreams} */
  let child;
  try {
    child = spawn("git", args, { cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  } catch (error) {
    failed(error);
    return;
  }
  children.set(id, child);
  /** @type {Buffer[]} */
  const out = [];
  /** @type {Buffer[]} */
  const err = [];
  child.stdout.on("data", (chunk) => out.push(chunk));
  child.stderr.on("data", (chunk) => err.push(chunk));
  child.on("error", failed);
  child.on("close", (code) => {
    reply({ code: code ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
  });
  child.stdin.on("error", () => undefined);
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
});

/**
 * The only place kappa reads `process.env`. Everything else receives values from here.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** A frozen snapshot of the process environment. */
export function processEnvironment(): Environment {
  return Object.freeze({ ...process.env });
}

/**
 * The only place kappa reads `process.env`. Everything else receives values from here.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** A frozen snapshot of the process environment. */
export function processEnvironment(): Environment {
  return Object.freeze({ ...process.env });
}

/** Names of environment variables whose values are secrets and must never be logged or stored. */
export const SECRET_ENV_PATTERN = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** Values of secret-looking variables in `env` (at least 6 characters, so that scrubbing stays meaningful). */
export function secretValues(env: Environment): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 6 && SECRET_ENV_PATTERN.test(name)) values.push(value);
  }
  return values;
}

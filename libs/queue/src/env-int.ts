/** A positive integer setting from the environment; undefined when unset. Operator configuration, not user input: a bad value is a plain error that stops start-up. */
export function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}: expected a positive integer, got '${raw}'`);
  return value;
}

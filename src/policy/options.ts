import { HexplanError } from '../errors.ts';

/**
 * Reads a policy's numeric tunables: unknown keys and non-numbers are user errors naming the
 * policy and the keys it knows (options arrive from the CLI as strings, so "1.5" is accepted).
 */
export function numericOptions<T extends Record<string, number>>(
  policy: string,
  options: Record<string, unknown>,
  defaults: T,
): T {
  const out: Record<string, number> = { ...defaults };
  for (const [key, raw] of Object.entries(options)) {
    if (!(key in defaults)) {
      const known = Object.keys(defaults);
      throw new HexplanError(
        `--policy-option ${key}: policy ${policy} has no option "${key}"` +
          (known.length > 0 ? ` (known: ${known.join(', ')})` : ' (it takes no options)'),
      );
    }
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new HexplanError(
        `--policy-option ${key}: expected a number for ${policy}, got ${JSON.stringify(raw)}`,
      );
    }
    out[key] = value;
  }
  return out as T;
}

/** Every bad setting of a process, reported together so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** A whole number in min..max written in plain digits, or undefined. */
export function parseIntIn(raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** An integer setting: `fallback` when unset; out of range or not an integer is a problem (and `fallback`). */
export function readInteger(
  read: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = parseIntIn(raw, min, max);
  if (value !== undefined) return value;
  problems.push(`${name} must be an integer ${min}..${max}, got "${raw}"`);
  return fallback;
}

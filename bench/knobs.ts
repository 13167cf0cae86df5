/**
 * The bench's sizes and durations, each from an environment variable. Unset, a knob takes the
 * issue's full size (so `npm run bench` is the full run); with BENCH_QUICK=1 it takes a tiny one
 * instead (seconds, for developing on a shared machine). A value that is not a positive integer
 * stops the run with its name: a typo silently replaced by the default would print figures for
 * a run nobody asked for.
 */
export const quickMode = (env: NodeJS.ProcessEnv = process.env): boolean => env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';

const positive = (name: string, text: string): number => {
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
};

export function intKnob(name: string, full: number, quick: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text !== undefined && text.trim() !== '') return positive(name, text);
  return quickMode(env) ? quick : full;
}

/** A comma-separated list of positive integers, e.g. BENCH_CURVE_CONNECTIONS=1,10,100. */
export function listKnob(name: string, full: number[], quick: number[], env: NodeJS.ProcessEnv = process.env): number[] {
  const text = env[name];
  if (text !== undefined && text.trim() !== '') return text.split(',').map((part) => positive(name, part));
  return quickMode(env) ? quick : full;
}

import { fail } from './error-codes';
import type { Policy } from './policy';
import { isNip, PERIODS, type Period } from './vocabulary';

/** Maximum lengths: generous for prose, tight for identifiers, so nothing unbounded enters the ledger. */
export const LIMITS = {
  text: 4000,
  description: 2000,
  name: 200,
  id: 100,
  unit: 100,
  uri: 2048,
  results: 100,
  indicatorsPerResult: 50,
} as const;

/**
 * Commands arrive from outside TypeScript's reach (JSON over HTTP), so every guard takes
 * `unknown` and checks the runtime shape too.
 */
export function requireText(value: unknown, field: string, max: number = LIMITS.text): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw fail('TEXT_REQUIRED', { field });
  if (value.length > max) throw fail('TEXT_TOO_LONG', { field, max, length: value.length });
  return value;
}

/** Optional prose: absent is fine, present must fit (blank allowed: it says nothing, harmlessly). */
export function optionalText(value: unknown, field: string, max: number = LIMITS.text): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw fail('TEXT_REQUIRED', { field });
  if (value.length > max) throw fail('TEXT_TOO_LONG', { field, max, length: value.length });
}

export const requireId = (value: unknown, field: string): string => requireText(value, field, LIMITS.id);

export function requireNip(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isNip(value)) throw fail('INVALID_NIP', { field, value });
  return value;
}

export function requireOneOf<T extends string>(value: unknown, options: readonly T[], field: string): T {
  if (!options.includes(value as T)) throw fail('INVALID_VALUE', { field, value, allowed: options });
  return value as T;
}

export function requireFinite(value: unknown, field: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw fail('INVALID_NUMBER', { field, value, min: Number.isFinite(min) ? min : undefined });
  }
  return value;
}

export function requireYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2000 || value > 2100) {
    throw fail('INVALID_YEAR', { field: 'year', value });
  }
  return value;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant: the zone offset is mandatory, a local time alone is ambiguous. */
export function requireInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw fail('INVALID_INSTANT', { field, value });
  }
  return value;
}

/** A real calendar date YYYY-MM-DD (2025-02-30 is refused, not rolled over). */
export function requireDate(value: unknown, field: string): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d) return value as string;
  }
  throw fail('INVALID_DATE', { field, value });
}

export function requirePeriod(value: unknown, policy: Policy): Period {
  if (!PERIODS.includes(value as Period) || !policy.periods.includes(value as Period)) {
    throw fail('PERIOD_NOT_IN_USE', { field: 'period', value, allowed: policy.periods });
  }
  return value as Period;
}

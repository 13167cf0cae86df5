import type { DecisionContext } from './decider';
import { fail } from './error-codes';
import type { Policy } from './policy';
import { appraisalDateRange, evaluationOpensOn, isEvaluationOpen, localDate } from './rules/calendar';
import { isNip, PERIODS, type DocumentRef, type Period } from './vocabulary';

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

const SHA256 = /^[0-9a-f]{64}$/;
/** Absolute URI: a scheme, a colon, then no whitespace. Enough to refuse paths and prose. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** A reference to a document outside the ledger: its URI and the SHA-256 of its content. */
export function requireDocument(document: unknown, field: string): DocumentRef {
  const doc = (document ?? {}) as Partial<Record<keyof DocumentRef, unknown>>;
  if (typeof document !== 'object' || document === null) throw fail('TEXT_REQUIRED', { field: `${field}.uri` });
  const uri = requireText(doc.uri, `${field}.uri`, LIMITS.uri);
  if (!URI.test(uri)) throw fail('INVALID_URI', { field: `${field}.uri`, value: uri });
  const sha256 = doc.sha256;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw fail('INVALID_SHA256', { field: `${field}.sha256`, value: sha256 });
  return { uri, sha256 };
}

/** An evaluation step is accepted only once the period's evaluation window has opened [policy]. */
export function requireEvaluationOpen(year: number, period: Period, ctx: DecisionContext): void {
  if (!isEvaluationOpen(year, period, ctx.now, ctx.policy)) {
    throw fail('EVALUATION_NOT_OPEN', {
      period,
      year,
      opensOn: evaluationOpensOn(year, period, ctx.policy),
      timeZone: ctx.policy.timeZone,
      now: ctx.now,
    });
  }
}

/** A date a person types: within the appraisal year or the quarter before it, and not after today. */
export function requireDateInAppraisalYear(value: unknown, field: string, year: number, ctx: DecisionContext): string {
  const date = requireDate(value, field);
  const { from, to } = appraisalDateRange(year);
  if (date < from || date > to) throw fail('DATE_OUTSIDE_APPRAISAL_YEAR', { field, value: date, from, to });
  const today = localDate(ctx.now, ctx.policy.timeZone);
  if (date > today) throw fail('DATE_IN_FUTURE', { field, value: date, today });
  return date;
}

/** An instant that belongs to the appraisal year (a plan deadline), read in the agency time zone. */
export function requireInstantInYear(value: unknown, field: string, year: number, policy: Policy): string {
  const instant = requireInstant(value, field);
  const date = localDate(instant, policy.timeZone);
  if (!date.startsWith(`${year}-`))
    throw fail('DATE_OUTSIDE_APPRAISAL_YEAR', { field, value: instant, from: `${year}-01-01`, to: `${year}-12-31` });
  return instant;
}

/** Appraisals and units are opened for past years, this year, or the next one: never further ahead. */
export function requireYearNotAhead(year: number, ctx: DecisionContext): void {
  const latest = Number(localDate(ctx.now, ctx.policy.timeZone).slice(0, 4)) + 1;
  if (year > latest) throw fail('YEAR_TOO_FAR_AHEAD', { field: 'year', value: year, latest });
}

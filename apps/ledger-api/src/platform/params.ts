import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { fail, type Period, type Policy } from '@ledger/appraisal';
import { validationFailed } from '../problems/validation';
import { POLICY } from './ports';

/**
 * Path parameters. Ids are checked for shape only; whether the thing exists is the domain's or
 * the read model's answer. A malformed id cannot exist, so it is reported as not found.
 */
export const PATH_ID = /^[A-Za-z0-9._-]{1,100}$/;

export class AppraisalIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PATH_ID.test(value)) throw fail('APPRAISAL_NOT_FOUND', { appraisalId: value });
    return value;
  }
}

export class UnitIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PATH_ID.test(value)) throw fail('UNIT_NOT_FOUND', { unitId: value });
    return value;
  }
}

export class FeedbackIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PATH_ID.test(value)) throw fail('FEEDBACK_NOT_FOUND', { feedbackId: value });
    return value;
  }
}

export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(year >= 2000 && year <= 2100)) throw validationFailed([{ field: 'year', messages: ['year must be an integer 2000..2100'] }]);
    return year;
  }
}

/** A period in use by the agency's policy (LEDGER_PERIODS). */
@Injectable()
export class PeriodPipe implements PipeTransform<unknown, Period> {
  constructor(@Inject(POLICY) private readonly policy: Policy) {}

  transform(value: unknown): Period {
    if (!this.policy.periods.includes(value as Period)) {
      throw validationFailed([{ field: 'period', messages: [`period must be one of ${this.policy.periods.join(', ')}`] }]);
    }
    return value as Period;
  }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An optional ISO 8601 instant in the query string; the zone offset is required. */
export class InstantQueryPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown, metadata: { data?: string }): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !INSTANT.test(value) || !isCalendarInstant(value)) {
      const field = metadata.data ?? 'instant';
      throw validationFailed([{ field, messages: [`${field} must be an ISO 8601 instant with offset, e.g. 2026-03-01T00:00:00Z`] }]);
    }
    return value;
  }
}

/**
 * Date.parse rolls impossible dates over (2026-02-30 → 2026-03-02, 24:00 → the next day), which
 * would answer for another instant than the one asked: the date and time fields must be the ones
 * written, in the offset written.
 */
export function isCalendarInstant(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  const ms = Date.parse(value);
  if (match === null || Number.isNaN(ms)) return false;
  const [y, mo, d, h, mi, s] = match.slice(1).map((field) => Number(field ?? 0));
  const zone = /(Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  const offsetMinutes = zone === null || zone[1] === 'Z' ? 0 : (zone[2] === '-' ? -1 : 1) * (Number(zone[3]) * 60 + Number(zone[4]));
  const local = new Date(ms + offsetMinutes * 60_000);
  return (
    local.getUTCFullYear() === y &&
    local.getUTCMonth() + 1 === mo &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s
  );
}

/** ?proof=true|false (absent = false); anything else is refused, not read as false. */
@Injectable()
export class ProofQueryPipe implements PipeTransform<unknown, boolean> {
  transform(value: unknown): boolean {
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw validationFailed([{ field: 'proof', messages: ['proof must be true or false'] }]);
  }
}

import { fail } from '../error-codes';
import type { Policy } from '../policy';
import type { Period } from '../vocabulary';

/**
 * Calendar arithmetic in the agency's time zone with Intl only. Deadlines in the law are
 * calendar days, so every comparison is between local dates (YYYY-MM-DD), never hour counts.
 */
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function toMs(instantIso: string): number {
  const ms = Date.parse(instantIso);
  if (Number.isNaN(ms)) throw fail('INVALID_INSTANT', { value: instantIso });
  return ms;
}

/** The wall-clock reading in `timeZone`, as if it were UTC (whole seconds). */
function wallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dateOfUtcMs = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const utcMsOfDate = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export function localDate(instantIso: string, timeZone: string): string {
  return dateOfUtcMs(wallClockMs(toMs(instantIso), timeZone));
}

export function addDays(date: string, days: number): string {
  return dateOfUtcMs(utcMsOfDate(date) + days * DAY_MS);
}

/** Calendar days from the local date of `fromIso` to the local date of `toIso` (negative if earlier). */
export function calendarDaysBetween(fromIso: string, toIso: string, timeZone: string): number {
  const from = utcMsOfDate(localDate(fromIso, timeZone));
  return Math.round((utcMsOfDate(localDate(toIso, timeZone)) - from) / DAY_MS);
}

/** The instant at which a local wall-clock time occurs; the second pass settles DST transitions. */
function instantOfLocal(wallMs: number, timeZone: string): number {
  const first = wallMs - (wallClockMs(wallMs, timeZone) - Math.floor(wallMs / 1000) * 1000);
  return wallMs - (wallClockMs(first, timeZone) - Math.floor(first / 1000) * 1000);
}

/** End (23:59:59.999 local) of policy.planDeadlineMonthDay in `year`, as an ISO instant. */
export function defaultPlanDeadline(year: number, policy: Policy): string {
  const match = /^(\d{2})-(\d{2})$/.exec(policy.planDeadlineMonthDay);
  const date = match ? `${pad(year, 4)}-${match[1]}-${match[2]}` : '';
  if (!match || dateOfUtcMs(utcMsOfDate(date)) !== date) {
    throw fail('INVALID_DATE', { field: 'policy.planDeadlineMonthDay', value: policy.planDeadlineMonthDay });
  }
  return endOfLocalDay(date, policy.timeZone);
}

/** The last instant (23:59:59.999 local) of a local date (YYYY-MM-DD) in `timeZone`, as an ISO instant. */
export function endOfLocalDay(date: string, timeZone: string): string {
  return new Date(instantOfLocal(utcMsOfDate(date) + DAY_MS - 1, timeZone)).toISOString();
}

/** The last local date on which an objection is still in time (day N after delivery). */
export function objectionDeadline(deliveredAtIso: string, policy: Policy): string {
  return addDays(localDate(deliveredAtIso, policy.timeZone), policy.objectionWindowDays);
}

export function isObjectionInTime(deliveredAtIso: string, filedAtIso: string, policy: Policy): boolean {
  const days = calendarDaysBetween(deliveredAtIso, filedAtIso, policy.timeZone);
  return days >= 0 && days <= policy.objectionWindowDays;
}

/** The last local date on which the superior's decision is on time. */
export function objectionDecisionDeadline(filedAtIso: string, policy: Policy): string {
  return addDays(localDate(filedAtIso, policy.timeZone), policy.objectionDecisionDays);
}

/** Overdue is a flag for people, never a refusal: a late decision is still recorded. */
export function isObjectionOverdue(filedAtIso: string, nowIso: string, decided: boolean, policy: Policy): boolean {
  return !decided && localDate(nowIso, policy.timeZone) > objectionDecisionDeadline(filedAtIso, policy);
}

/** The last month (1–12) of each evaluation period: quarters end in March, June, September, December. */
const LAST_MONTH: Record<Period, number> = { TRIWULAN_I: 3, TRIWULAN_II: 6, TRIWULAN_III: 9, TRIWULAN_IV: 12, TAHUNAN: 12 };

/** The local date on which a period's evaluation opens: the first day of its last N months. */
export function evaluationOpensOn(year: number, period: Period, policy: Policy): string {
  const month = LAST_MONTH[period] - policy.evaluationOpensMonthsBeforeEnd + 1;
  return `${pad(year, 4)}-${pad(Math.max(1, month))}-01`;
}

export function isEvaluationOpen(year: number, period: Period, nowIso: string, policy: Policy): boolean {
  return localDate(nowIso, policy.timeZone) >= evaluationOpensOn(year, period, policy);
}

/** Dates a person types lie within the appraisal year or the quarter before it [policy]. */
export function appraisalDateRange(year: number): { from: string; to: string } {
  return { from: `${pad(year - 1, 4)}-10-01`, to: `${pad(year, 4)}-12-31` };
}

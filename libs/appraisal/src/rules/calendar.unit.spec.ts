import { DEFAULT_POLICY } from '../policy';
import {
  calendarDaysBetween,
  defaultPlanDeadline,
  endOfLocalDay,
  isObjectionInTime,
  isObjectionOverdue,
  localDate,
  objectionDecisionDeadline,
  objectionDeadline,
} from './calendar';

const JKT = 'Asia/Jakarta';

describe('localDate and calendarDaysBetween in the agency time zone', () => {
  it('reads the local date, not the UTC date', () => {
    expect(localDate('2026-02-10T16:30:00Z', JKT)).toBe('2026-02-10'); // 23:30 WIB
    expect(localDate('2026-02-10T17:00:00Z', JKT)).toBe('2026-02-11'); // 00:00 WIB next day
    expect(localDate('2026-02-10T17:00:00Z', 'UTC')).toBe('2026-02-10');
  });

  it('counts calendar days, not 24-hour spans', () => {
    expect(calendarDaysBetween('2026-02-10T16:30:00Z', '2026-02-10T17:00:00Z', JKT)).toBe(1); // 30 minutes, next day
    expect(calendarDaysBetween('2026-02-10T00:00:00Z', '2026-02-10T16:59:59Z', JKT)).toBe(0);
    expect(calendarDaysBetween('2026-03-01T00:00:00Z', '2026-02-27T00:00:00Z', JKT)).toBe(-2);
  });

  it('refuses an unreadable instant', () => {
    expect(() => localDate('yesterday', JKT)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
  });
});

describe('defaultPlanDeadline', () => {
  it('is the end of 31 January in Jakarta (UTC+7)', () => {
    expect(defaultPlanDeadline(2025, DEFAULT_POLICY)).toBe('2025-01-31T16:59:59.999Z');
  });

  it('follows the policy month-day and zone, DST included', () => {
    expect(defaultPlanDeadline(2025, { ...DEFAULT_POLICY, planDeadlineMonthDay: '02-28', timeZone: 'UTC' })).toBe(
      '2025-02-28T23:59:59.999Z',
    );
    // 31 July in Berlin is summer time (UTC+2).
    expect(defaultPlanDeadline(2025, { ...DEFAULT_POLICY, planDeadlineMonthDay: '07-31', timeZone: 'Europe/Berlin' })).toBe(
      '2025-07-31T21:59:59.999Z',
    );
  });

  it('refuses a month-day that does not exist', () => {
    expect(() => defaultPlanDeadline(2025, { ...DEFAULT_POLICY, planDeadlineMonthDay: '02-30' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
  });
});

describe('endOfLocalDay', () => {
  it('is the last millisecond of that local date, in UTC', () => {
    expect(endOfLocalDay('2026-03-09', JKT)).toBe('2026-03-09T16:59:59.999Z');
    expect(endOfLocalDay('2026-07-01', 'Europe/Amsterdam')).toBe('2026-07-01T21:59:59.999Z');
    expect(endOfLocalDay('2026-01-01', 'Europe/Amsterdam')).toBe('2026-01-01T22:59:59.999Z');
  });
});

describe('objection window: day 14 after delivery in time, day 15 not (Asia/Jakarta)', () => {
  const deliveredAt = '2026-02-10T16:30:00.000Z'; // 23:30 WIB, 10 Feb

  it('names the last local day still in time', () => {
    expect(objectionDeadline(deliveredAt, DEFAULT_POLICY)).toBe('2026-02-24');
  });

  it('is in time at 23:59 WIB on day 14', () => {
    expect(isObjectionInTime(deliveredAt, '2026-02-24T16:59:00.000Z', DEFAULT_POLICY)).toBe(true);
  });

  it('is late at 00:00 WIB on day 15', () => {
    expect(isObjectionInTime(deliveredAt, '2026-02-24T17:00:00.000Z', DEFAULT_POLICY)).toBe(false);
  });

  it('is in time on the delivery day itself, and 30 minutes later (already day 1)', () => {
    expect(isObjectionInTime(deliveredAt, '2026-02-10T16:45:00.000Z', DEFAULT_POLICY)).toBe(true);
    expect(isObjectionInTime(deliveredAt, '2026-02-10T17:00:00.000Z', DEFAULT_POLICY)).toBe(true);
  });
});

describe('objection decision deadline and overdue flag', () => {
  const filedAt = '2026-02-11T02:00:00.000Z'; // 09:00 WIB, 11 Feb

  it('is 14 calendar days after filing', () => {
    expect(objectionDecisionDeadline(filedAt, DEFAULT_POLICY)).toBe('2026-02-25');
  });

  it('is not overdue on the last day, overdue the next local day, never once decided', () => {
    expect(isObjectionOverdue(filedAt, '2026-02-25T16:59:59.000Z', false, DEFAULT_POLICY)).toBe(false);
    expect(isObjectionOverdue(filedAt, '2026-02-25T17:00:00.000Z', false, DEFAULT_POLICY)).toBe(true);
    expect(isObjectionOverdue(filedAt, '2026-03-30T00:00:00.000Z', true, DEFAULT_POLICY)).toBe(false);
  });
});

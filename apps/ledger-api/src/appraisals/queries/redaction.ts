import { PERIODS, type AppraisalState, type Period } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { AppraisalView, AuditEntry, PeriodView } from '@ledger/read-models';

/**
 * What the employee (PEGAWAI) does not see [beyond]: who gave which 360 answers. The answers stay
 * visible; the rater's identity goes from the survey data and from the event's actor. Hashes go
 * too: with the few assigned raters as candidates, a hash over the full envelope would let anyone
 * find the rater by trying each one. Auditors see everything, hashes included.
 */
const SURVEY = 'BehaviourSurveySubmitted';

type Survey = PeriodView['surveys'][number];
export type EmployeePeriodView = Omit<PeriodView, 'surveys'> & { surveys: Omit<Survey, 'raterId'>[] };
export type EmployeeAppraisalView = Omit<AppraisalView, 'periods'> & { periods: Partial<Record<Period, EmployeePeriodView>> };

export function redactViewForEmployee(view: AppraisalView): EmployeeAppraisalView {
  const periods: EmployeeAppraisalView['periods'] = {};
  for (const period of PERIODS) {
    const p = view.periods[period];
    if (p !== undefined) periods[period] = { ...p, surveys: p.surveys.map(({ raterId: _hidden, ...rest }) => rest) };
  }
  return { ...view, periods };
}

export type RedactedAuditEntry = Omit<AuditEntry, 'actorId' | 'hash' | 'prevHash'> & { actorId: string | null };

export function redactAuditEntryForEmployee(entry: AuditEntry): RedactedAuditEntry {
  const { hash: _h, prevHash: _p, ...rest } = entry;
  if (entry.type !== SURVEY) return rest;
  const { raterId: _hidden, ...data } = entry.data;
  return { ...rest, actorId: null, data };
}

export type RedactedEvent = Omit<StoredEvent, 'hash' | 'prevHash' | 'metadata'> & {
  metadata: Omit<StoredEvent['metadata'], 'actorId'> & { actorId: string | null };
};

export function redactEventForEmployee(event: StoredEvent): RedactedEvent {
  const { hash: _h, prevHash: _p, ...rest } = event;
  if (event.type !== SURVEY) return rest;
  const { raterId: _hidden, ...data } = event.data;
  return { ...rest, data, metadata: { ...event.metadata, actorId: null } };
}

/** The folded state keeps only how many surveys came in, not from whom. */
export function redactStateForEmployee(state: AppraisalState): Omit<AppraisalState, 'periods'> & { periods: Record<string, unknown> } {
  const periods = Object.fromEntries(
    PERIODS.map((p) => {
      const { surveysSubmittedBy, ...rest } = state.periods[p];
      return [p, { ...rest, surveysSubmitted: surveysSubmittedBy.length }];
    }),
  );
  return { ...state, periods };
}

import { ProblemException } from '../../problems/problem';
import { appraisalIdFor, appraisalStreamId, BEHAVIOURS, PERIODS, RATINGS } from '@ledger/appraisal';
import { type Actor, type AppraisalState, type Behaviour, type Period, type Rating } from '@ledger/appraisal';
import type { StoredEvent, StreamIntegrity } from '@ledger/event-store';
import {
  APPRAISALS,
  AUDIT_TRAIL,
  DISPUTES,
  OFFICER_FEEDBACK,
  SERVICE_FEEDBACK,
  UNITS,
  type AppraisalView,
  type AuditEntry,
  type AuditRef,
  type OfficerFeedbackDoc,
  type PeriodView,
  type ServiceFeedbackDoc,
} from '@ledger/read-models';
import type { AppraisalOutlook } from './appraisal-outlook';

/**
 * The one redaction policy [beyond: DOMAIN.md "360 raters stay anonymous to the employee everywhere
 * the employee can read"]. Every answer an employee (PEGAWAI) reads passes through here; no query
 * hides a rater on its own. What the employee learns of the 360 of a period:
 * - how many raters were assigned and how many surveys came in, never who, in which relation, or when;
 * - with at least `surveyMinimumGroup` surveys (policy, default 3): the answers pooled per behaviour
 *   (how many raters gave each rating), never one rater's set, never in submission order;
 * - below it: nothing of the answers (a group of one or two is too small to hide in);
 * - and only once the period's result is final, when no further survey is accepted (requireNotFinal):
 *   pools shown while surveys still come in would differ by one rater's set from one read to the next;
 * - never a survey comment: free text can name its writer, and a pooled count cannot carry it.
 * Survey events do not appear in the employee's event lists (audit trail, history): their time,
 * position, ids and correlation would point at a rater. The entries shown carry no stream revision or
 * position, so the gaps a hidden event leaves cannot be counted; no correlation or causation id
 * (shared with the rater's other requests); no hash (with few candidate raters, a hash over the
 * envelope lets anyone test each one). Auditors and everyone else see everything; appraisers assign
 * the raters and see the answers, and analytics over the 360 apply the same small-group rule.
 */
export const SURVEY = 'BehaviourSurveySubmitted';
export const RATER_ASSIGNED = 'RaterAssigned';

/**
 * Whether the policy applies to this reader of the appraisal of `employeeNip`: by person, not by the
 * token's role [DOMAIN.md: authorisation is by relationship]. The appraisee reads their own appraisal
 * redacted with any token they hold: as HR (PENGELOLA_KINERJA reads every appraisal), as an auditor,
 * or as a leader of their own unit, they still never learn who rated them.
 */
export const readsAsEmployee = (actor: Actor, employeeNip: string): boolean => actor.role === 'PEGAWAI' || actor.id === employeeNip;

/**
 * A verified read (?proof=true) hands out what makes each event checkable: its hash, inputs and
 * inclusion proof. The appraisee's view leaves hashes out (see above), so it cannot be checked, and
 * a proof for it would be a proof of events they are not shown: refused, by person.
 */
export function assertMayHaveProof(actor: Actor, employeeNip: string): void {
  if (readsAsEmployee(actor, employeeNip)) {
    throw new ProblemException(
      'NOT_ENTITLED',
      "A verified read needs the events' hashes, which the appraisee's own view leaves out to keep the 360 raters anonymous",
    );
  }
}

/** Whether `streamId` is an appraisal of `nip` (the domain fixes an appraisal's id as year and NIP). */
function isAppraisalOf(nip: string, streamId: string): boolean {
  const year = /^appraisal-(\d+)-/.exec(streamId)?.[1];
  return year !== undefined && streamId === appraisalStreamId(appraisalIdFor(nip, Number(year)));
}

/**
 * Whether the feed (whole envelopes, for services and auditors) sends `event` to `actor`: an auditor who
 * is themselves appraised is not sent who was assigned to rate them or who answered, by person.
 */
export const feedEventShown = (actor: Actor, event: StoredEvent): boolean =>
  (event.type !== SURVEY && event.type !== RATER_ASSIGNED) || !isAppraisalOf(actor.id, event.streamId);

/** What the employee sees of one period's 360. */
export interface Survey360Summary {
  ratersAssigned: number;
  submitted: number;
  minimumGroup: number;
  /** Per behaviour, how many raters gave each rating; null until the result is final, and below minimumGroup. */
  answers: Record<Behaviour, Record<Rating, number>> | null;
}

export type EmployeePeriodView = Omit<PeriodView, 'raters' | 'surveys'> & { raters: []; surveys: []; survey360: Survey360Summary };
export type EmployeeAppraisalView = Omit<AppraisalView, 'periods'> & { periods: Partial<Record<Period, EmployeePeriodView>> };

const zeroCounts = (): Record<Rating, number> => Object.fromEntries(RATINGS.map((r) => [r, 0])) as Record<Rating, number>;

/**
 * Whether the employee may see a period's 360 answers pooled: the group is big enough to hide in, and
 * closed (a final result refuses further surveys), so no two reads differ by one rater's answers.
 */
export const pooledAnswersShown = (period: PeriodView, minimumGroup: number): boolean =>
  period.result !== null && period.surveys.length >= minimumGroup;

/**
 * Analytics over the 360 (agreement, Krippendorff's alpha, raters who agree with nobody) follow the same
 * rules. A reader counts the surveys of an appraisal's period only where they may see its answers: the
 * appraisee, by person, only where survey360 pools them (big enough and final). Rater identities appear in
 * analytics only for a reader appraised in none of the appraisals the figure covers; and a figure over the
 * 360 of several appraisals is withheld from such a reader when it rests on fewer than `minimumGroup` raters.
 */
export const surveysCountedFor = (actor: Actor, view: AppraisalView, period: Period, minimumGroup: number): boolean => {
  const p = view.periods[period];
  return !readsAsEmployee(actor, view.employeeNip) || (p !== undefined && pooledAnswersShown(p, minimumGroup));
};

export const raterIdsShownFor = (actor: Actor, views: readonly AppraisalView[]): boolean =>
  !views.some((v) => readsAsEmployee(actor, v.employeeNip));

export const groupFigureWithheldFor = (actor: Actor, views: readonly AppraisalView[], raters: number, minimumGroup: number): boolean =>
  !raterIdsShownFor(actor, views) && raters < minimumGroup;

export function survey360Of(period: PeriodView, minimumGroup: number): Survey360Summary {
  const submitted = period.surveys.length;
  let answers: Survey360Summary['answers'] = null;
  if (pooledAnswersShown(period, minimumGroup)) {
    const pooled = Object.fromEntries(BEHAVIOURS.map((b) => [b, zeroCounts()])) as Record<Behaviour, Record<Rating, number>>;
    for (const survey of period.surveys) for (const b of BEHAVIOURS) pooled[b][survey.answers[b]] += 1;
    answers = pooled;
  }
  return { ratersAssigned: period.raters.length, submitted, minimumGroup, answers };
}

/** A survey's instant is never shown to the employee; where the last event was one, only its date is. */
const dateOf = (iso: string): string => iso.slice(0, 10);

export function redactViewForEmployee(view: AppraisalView, minimumGroup: number): EmployeeAppraisalView {
  const periods: EmployeeAppraisalView['periods'] = {};
  const surveyTimes = new Set<string>();
  for (const period of PERIODS) {
    const p = view.periods[period];
    if (p === undefined) continue;
    for (const s of p.surveys) surveyTimes.add(s.submittedAt);
    const { raters: _who, surveys: _sets, ...rest } = p;
    periods[period] = { ...rest, raters: [], surveys: [], survey360: survey360Of(p, minimumGroup) };
  }
  const lastEventAt = surveyTimes.has(view.lastEventAt) ? dateOf(view.lastEventAt) : view.lastEventAt;
  return { ...view, lastEventAt, periods };
}

/** The outlook pools the 360 answers per period: the employee sees them only where survey360 does. */
export function redactOutlookForEmployee(outlook: AppraisalOutlook, view: AppraisalView, minimumGroup: number): AppraisalOutlook {
  const periods: AppraisalOutlook['periods'] = { ...outlook.periods };
  for (const period of PERIODS) {
    const o = periods[period];
    const p = view.periods[period];
    if (o === undefined || (p !== undefined && pooledAnswersShown(p, minimumGroup))) continue;
    periods[period] = {
      ...o,
      sources: {
        ...o.sources,
        peers: { ...o.sources.peers, answers: zeroCounts(), mostCommon: null },
        gaps: { ...o.sources.gaps, peersPerilakuKerja: null },
      },
    };
  }
  return { ...outlook, periods };
}

export type RedactedAuditEntry = Omit<AuditEntry, 'hash' | 'prevHash' | 'correlationId' | 'causationId' | 'position' | 'streamRevision'>;

/** null: the entry is not shown to the employee at all. */
export function redactAuditEntryForEmployee(entry: AuditEntry): RedactedAuditEntry | null {
  if (entry.type === SURVEY) return null;
  const { hash: _h, prevHash: _p, correlationId: _c, causationId: _k, position: _g, streamRevision: _r, ...rest } = entry;
  if (entry.type !== RATER_ASSIGNED) return rest;
  const period = String(entry.data.period);
  return { ...rest, data: { period }, summary: `${entry.actorRole} ${entry.actorId} assigned a 360 rater for ${period}` };
}

/**
 * The stored reference (read model version 2; a version 1 document is cut to the same fields) as the
 * employee would see it: none for a survey, and no position (the gaps hidden surveys leave could be counted).
 */
export function redactAuditRefForEmployee(ref: AuditRef): Omit<AuditRef, 'position'> | null {
  return ref.type === SURVEY ? null : { streamId: ref.streamId, appraisalId: ref.appraisalId, type: ref.type };
}

export type RedactedEvent = Omit<StoredEvent, 'hash' | 'prevHash' | 'metadata' | 'globalPosition' | 'streamRevision'> & {
  metadata: Omit<StoredEvent['metadata'], 'correlationId' | 'causationId'>;
};

/** The envelope as the employee sees it (null: not shown), by the same rules as the audit entry. */
export function redactEventForEmployee(event: StoredEvent): RedactedEvent | null {
  if (event.type === SURVEY) return null;
  const { hash: _h, prevHash: _p, globalPosition: _g, streamRevision: _r, metadata, ...rest } = event;
  const { correlationId: _c, causationId: _k, ...meta } = metadata;
  const data = event.type === RATER_ASSIGNED ? { period: event.data.period } : event.data;
  return { ...rest, data, metadata: meta };
}

export const redactEventsForEmployee = (events: readonly StoredEvent[]): RedactedEvent[] =>
  events.flatMap((e) => redactEventForEmployee(e) ?? []);

export const redactAuditTrailForEmployee = (entries: readonly AuditEntry[]): RedactedAuditEntry[] =>
  entries.flatMap((e) => redactAuditEntryForEmployee(e) ?? []);

/**
 * The employee sees that the chain is broken, the kind of problem and its revision (a refused command tells
 * it too), never the detail: it names global positions, event ids and hashes, which would place and
 * fingerprint a hidden survey event among the ledger's others. Auditors read the whole report (/integrity).
 */
export const redactIntegrityForEmployee = (integrity: StreamIntegrity): StreamIntegrity =>
  integrity.status === 'INTACT'
    ? integrity
    : { ...integrity, detail: 'The stored chain of this appraisal is broken; an auditor sees the detail.' };

type EmployeeStatePeriod = Omit<AppraisalState['periods'][Period], 'raters' | 'surveysSubmittedBy'> & { ratersAssigned: number };
export type EmployeeState = Omit<AppraisalState, 'periods'> & { periods: Record<Period, EmployeeStatePeriod> };

/**
 * The folded state keeps how many raters were assigned (the trail shows each assignment), but not who,
 * and nothing of the surveys: read as of chosen instants, a count of surveys would date each one to
 * the millisecond. The current view says how many came in.
 */
export function redactStateForEmployee(state: AppraisalState): EmployeeState {
  const periods = Object.fromEntries(
    PERIODS.map((p) => {
      const { surveysSubmittedBy: _who, raters, ...rest } = state.periods[p];
      return [p, { ...rest, ratersAssigned: raters.length }];
    }),
  ) as Record<Period, EmployeeStatePeriod>;
  return { ...state, periods };
}

/**
 * The read models as the employee may see them, one entry per collection of PROJECTIONS (the
 * anonymity e2e fails a read model without one): null = the employee reads none of it.
 */
export const EMPLOYEE_READ_POLICY: Record<string, (doc: never, minimumGroup: number) => unknown> = {
  [APPRAISALS]: (doc: AppraisalView, k: number) => redactViewForEmployee(doc, k),
  // The stored references; the api serves the entries rendered from the events (redactAuditEntryForEmployee).
  [AUDIT_TRAIL]: (doc: AuditRef) => redactAuditRefForEmployee(doc),
  // Objections are listed for superiors, reviewers, HR and auditors only (disputes.query.ts).
  [DISPUTES]: () => null,
  // Unit views are read by the unit leaders, HR and auditors only (units query).
  [UNITS]: () => null,
  // Sums per service and period, no response and no citizen: what the public page shows anyway.
  [SERVICE_FEEDBACK]: (doc: ServiceFeedbackDoc) => doc,
  // The employee's own public feedback (their appraisal view shows it): no code hash, no citizen in it.
  [OFFICER_FEEDBACK]: (doc: OfficerFeedbackDoc) => doc,
};

/** A read-model document as the employee would see it; a collection the policy does not name is refused. */
export function employeeDocument(collection: string, doc: unknown, minimumGroup: number): unknown {
  // Own keys only: a collection named after an Object.prototype member has no rule either.
  if (!Object.hasOwn(EMPLOYEE_READ_POLICY, collection)) throw new Error(`no employee redaction rule for read model ${collection}`);
  return EMPLOYEE_READ_POLICY[collection](doc as never, minimumGroup);
}

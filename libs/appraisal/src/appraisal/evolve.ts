import type { AppraisalEvent } from '../events';
import { ignoreUnknownEvent } from '../exhaustive';
import type { Period, PlanContent } from '../vocabulary';
import type { AppraisalState, ObjectionState, PeriodState } from './state';

const withPeriod = (s: AppraisalState, period: Period, change: (p: PeriodState) => Partial<PeriodState>): AppraisalState => ({
  ...s,
  periods: { ...s.periods, [period]: { ...s.periods[period], ...change(s.periods[period]) } },
});

/** Objection events only follow ObjectionFiled (decide guarantees it), so a missing one is ignored. */
const withObjection = (s: AppraisalState, period: Period, change: (o: ObjectionState) => Partial<ObjectionState>): AppraisalState =>
  withPeriod(s, period, (p) => (p.objection ? { objection: { ...p.objection, ...change(p.objection) } } : {}));

const withResultIds = (s: AppraisalState, plan: PlanContent): string[] => [
  ...new Set([...s.knownResultIds, ...plan.results.map((r) => r.id)]),
];

/** Folds one event into the state. Pure and total: it never throws, history is what it is. */
export function evolveAppraisal(s: AppraisalState, event: AppraisalEvent): AppraisalState {
  switch (event.type) {
    case 'AppraisalOpened': {
      const { appraisalId, employeeNip, employeeName, year, unitId, appraiserId, superiorId, planDeadline, functionalPosition } =
        event.data;
      const identity = { appraisalId, employeeNip, employeeName, year, unitId, appraiserId, superiorId, planDeadline };
      return { ...s, ...identity, opened: true, functionalPosition: functionalPosition ?? null };
    }
    case 'AppraisalUnitCorrected':
      return { ...s, unitId: event.data.unitId };
    case 'AppraiserReassigned': {
      const { appraiserId, superiorId } = event.data;
      const replaced = [s.appraiserId, s.superiorId].filter((id) => id !== appraiserId && id !== superiorId);
      return { ...s, appraiserId, superiorId, formerHolders: [...new Set([...s.formerHolders, ...replaced])] };
    }
    case 'PlanDeadlineSet':
      return { ...s, planDeadline: event.data.planDeadline };
    case 'PlanDrafted':
      return { ...s, planStatus: 'DRAFT', draftPlan: event.data.plan, knownResultIds: withResultIds(s, event.data.plan) };
    case 'PlanSubmitted':
      return { ...s, planStatus: 'SUBMITTED' };
    case 'PlanReturned':
      return { ...s, planStatus: 'RETURNED' };
    case 'PlanApproved': {
      const plan = s.draftPlan ?? { results: [] };
      const { version } = event.data;
      return {
        ...s,
        planStatus: 'APPROVED',
        planVersion: version,
        approvedPlan: plan,
        planVersions: [...s.planVersions, { version, plan, source: 'APPROVED' }],
      };
    }
    case 'PlanRevisionProposed':
      return { ...s, pendingRevision: { ...event.data }, knownResultIds: withResultIds(s, event.data.plan) };
    case 'PlanRevisionApproved': {
      const plan = s.pendingRevision?.plan ?? s.approvedPlan ?? { results: [] };
      const { version } = event.data;
      return {
        ...s,
        planVersion: version,
        approvedPlan: plan,
        pendingRevision: null,
        planVersions: [...s.planVersions, { version, plan, source: 'REVISION' }],
      };
    }
    case 'PlanRevisionRejected':
      return { ...s, pendingRevision: null };
    case 'DefaultPlanSet': {
      const { plan, version } = event.data;
      return {
        ...s,
        planStatus: 'APPROVED',
        planVersion: version,
        approvedPlan: plan,
        planVersions: [...s.planVersions, { version, plan, source: 'DEFAULT' }],
        knownResultIds: withResultIds(s, plan),
      };
    }
    case 'BehaviourExpectationSet':
      return { ...s, behaviourExpectations: { ...s.behaviourExpectations, [event.data.behaviour]: event.data.expectation } };
    case 'EvidenceRecorded':
      return { ...s, evidenceIds: [...s.evidenceIds, event.data.evidenceId] };
    case 'FeedbackGiven':
      return { ...s, feedbackIds: [...s.feedbackIds, event.data.feedbackId] };
    case 'FeedbackResponded':
      return s;
    case 'SelfAssessed':
      return withPeriod(s, event.data.period, () => ({ selfAssessed: true }));
    case 'RaterAssigned': {
      const { period, raterId, relation } = event.data;
      return withPeriod(s, period, (p) => ({ raters: [...p.raters, { raterId, relation }] }));
    }
    case 'BehaviourSurveySubmitted':
      return withPeriod(s, event.data.period, (p) => ({ surveysSubmittedBy: [...p.surveysSubmittedBy, event.data.raterId] }));
    case 'PerformanceRated':
    case 'RatingRevised': {
      const { period, hasilKerja, hasilKerjaJustification, perilakuKerja, perilakuKerjaJustification, predicate, version } = event.data;
      const rating = {
        hasilKerja,
        hasilKerjaJustification,
        perilakuKerja,
        perilakuKerjaJustification,
        predicate,
        version,
        planVersion: s.planVersion,
      };
      // Only the named appraiser rates or revises (decide guarantees it), so the person is known here.
      return withPeriod(s, period, (p) => ({
        rating,
        ratedBy: p.ratedBy.includes(s.appraiserId) ? p.ratedBy : [...p.ratedBy, s.appraiserId],
      }));
    }
    case 'ResultDelivered': {
      const { period, deliveredAt, ratingVersion, predicate, unitStreamId } = event.data;
      return withPeriod(s, period, () => ({ delivery: { deliveredAt, ratingVersion, predicate, unitStreamId } }));
    }
    case 'ObjectionFiled': {
      const objection: ObjectionState = {
        reasons: event.data.reasons,
        statements: {},
        reviewerId: null,
        findingsSubmitted: false,
        decision: null,
      };
      return withPeriod(s, event.data.period, () => ({ objection }));
    }
    case 'StatementRecorded':
      return withObjection(s, event.data.period, (o) => ({ statements: { ...o.statements, [event.data.party]: event.data.statement } }));
    case 'ReviewerAssigned':
      return withObjection(s, event.data.period, () => ({ reviewerId: event.data.reviewerId }));
    case 'ReviewFindingsSubmitted':
      return withObjection(s, event.data.period, () => ({ findingsSubmitted: true }));
    case 'ObjectionDecided':
      return evolveDecision(s, event.data);
    default:
      return ignoreUnknownEvent(s, event);
  }
}

/** An amendment is a new rating version in force; the delivered result stays as it was delivered. */
function evolveDecision(s: AppraisalState, d: Extract<AppraisalEvent, { type: 'ObjectionDecided' }>['data']): AppraisalState {
  const decided = withObjection(s, d.period, () => ({
    decision: { outcome: d.outcome, previousPredicate: d.previousPredicate, predicate: d.amended?.predicate ?? d.previousPredicate },
  }));
  const { amended } = d;
  if (!amended) return decided;
  // The amendment is the superior's decision on the plan version that was rated.
  return withPeriod(decided, d.period, (p) => ({
    rating: { ...amended, version: (p.rating?.version ?? 0) + 1, planVersion: p.rating?.planVersion ?? s.planVersion },
  }));
}

import { APPRAISAL_EVENT_TYPES, type AppraisalEvent, type AppraisalOpened } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { evolvePeriod, type StoredPeriodEvent } from './appraisal-periods';
import { emptyPeriodView, emptyPlanView, type AppraisalView, type PlanView } from './appraisal-view';
import { asDomain, ignoreUnknown, stampOf, type Stored, type StoredAppraisalEvent } from './stored';

export const APPRAISALS = 'appraisals';

/** Every appraisal-stream type: `revision` must follow each event of the stream, or the ETag goes stale. */
const HANDLES = APPRAISAL_EVENT_TYPES;

const STREAM_PREFIX = 'appraisal-';

export const appraisalsProjection: Projection<AppraisalView> = {
  name: 'appraisals',
  collection: APPRAISALS,
  handles: HANDLES,
  idsOf: (event) => (event.streamId.startsWith(STREAM_PREFIX) ? [event.streamId.slice(STREAM_PREFIX.length)] : []),
  evolve: evolveAppraisalView,
  indexes: ['unitId', 'year', 'employeeNip', 'appraiserId', 'superiorId'],
};

/** Pure. Events before AppraisalOpened cannot exist (it is revision 0); if one did, it is ignored. */
export function evolveAppraisalView(doc: AppraisalView | null, event: StoredEvent): AppraisalView | null {
  const e = asDomain<AppraisalEvent>(event);
  if (doc === null) return e.type === 'AppraisalOpened' ? opened(e) : null;
  return { ...apply(doc, e), revision: event.streamRevision, lastEventAt: event.metadata.occurredAt };
}

function opened(e: Stored<AppraisalOpened>): AppraisalView {
  const { functionalPosition, ...d } = e.data;
  return {
    appraisalId: d.appraisalId,
    employeeNip: d.employeeNip,
    employeeName: d.employeeName,
    year: d.year,
    unitId: d.unitId,
    appraiserId: d.appraiserId,
    superiorId: d.superiorId,
    functionalPosition: functionalPosition ?? null,
    planDeadline: d.planDeadline,
    opened: stampOf(e),
    revision: e.streamRevision,
    lastEventAt: e.metadata.occurredAt,
    reassignments: [],
    unitCorrections: [],
    plan: emptyPlanView(),
    evidence: [],
    feedback: [],
    periods: {},
    predicates: {},
  };
}

const withPlan = (doc: AppraisalView, change: (plan: PlanView) => Partial<PlanView>): AppraisalView => ({
  ...doc,
  plan: { ...doc.plan, ...change(doc.plan) },
});

function apply(doc: AppraisalView, e: StoredAppraisalEvent): AppraisalView {
  const stamp = stampOf(e);
  switch (e.type) {
    case 'AppraisalOpened':
      return doc; // an appraisal is opened once (revision 0); nothing to change
    case 'AppraiserReassigned': {
      const { appraiserId, superiorId, reason } = e.data;
      return { ...doc, appraiserId, superiorId, reassignments: [...doc.reassignments, { appraiserId, superiorId, reason, ...stamp }] };
    }
    case 'AppraisalUnitCorrected': {
      const { unitId, previousUnitId, reason } = e.data;
      return { ...doc, unitId, unitCorrections: [...(doc.unitCorrections ?? []), { unitId, previousUnitId, reason, ...stamp }] };
    }
    case 'PlanDeadlineSet':
      return { ...doc, planDeadline: e.data.planDeadline };
    case 'PlanDrafted':
      return withPlan(doc, () => ({ status: 'DRAFT', content: e.data.plan, dialogue: e.data.dialogue, drafted: stamp }));
    case 'PlanSubmitted':
      return withPlan(doc, () => ({ status: 'SUBMITTED', submitted: stamp }));
    case 'PlanReturned':
      return withPlan(doc, () => ({ status: 'RETURNED', returnedReason: e.data.reason }));
    case 'PlanApproved':
      return withPlan(doc, (plan) => {
        const content = plan.content ?? { results: [] };
        const version = {
          version: e.data.version,
          kind: 'APPROVED' as const,
          content,
          reason: null,
          proposed: plan.submitted,
          approved: stamp,
        };
        return { status: 'APPROVED', source: 'EMPLOYEE', version: e.data.version, content, versions: [...plan.versions, version] };
      });
    case 'PlanRevisionProposed':
      return withPlan(doc, () => ({ pendingRevision: { content: e.data.plan, reason: e.data.reason, ...stamp } }));
    case 'PlanRevisionApproved':
      return withPlan(doc, (plan) => {
        const pending = plan.pendingRevision;
        const content = pending?.content ?? plan.content ?? { results: [] };
        const proposed = pending === null ? null : { at: pending.at, by: pending.by };
        const version = {
          version: e.data.version,
          kind: 'REVISION' as const,
          content,
          reason: pending?.reason ?? null,
          proposed,
          approved: stamp,
        };
        return { source: 'EMPLOYEE', version: e.data.version, content, pendingRevision: null, versions: [...plan.versions, version] };
      });
    case 'PlanRevisionRejected':
      return withPlan(doc, () => ({ pendingRevision: null, lastRevisionRejection: { reason: e.data.reason, ...stamp } }));
    case 'DefaultPlanSet':
      return withPlan(doc, (plan) => {
        const { plan: content, version, reason } = e.data;
        const entry = { version, kind: 'DEFAULT' as const, content, reason, proposed: stamp, approved: stamp };
        return { status: 'APPROVED', source: 'DEFAULT', version, content, versions: [...plan.versions, entry] };
      });
    case 'BehaviourExpectationSet': {
      const { behaviour, expectation } = e.data;
      return withPlan(doc, (plan) => ({
        behaviourExpectations: { ...plan.behaviourExpectations, [behaviour]: { expectation, ...stamp } },
      }));
    }
    case 'EvidenceRecorded': {
      const { note, ...d } = e.data;
      return { ...doc, evidence: [...doc.evidence, { ...d, note: note ?? null, ...stamp }] };
    }
    case 'FeedbackGiven': {
      const { feedbackId, text, about } = e.data;
      return { ...doc, feedback: [...doc.feedback, { feedbackId, text, about: about ?? null, responses: [], ...stamp }] };
    }
    case 'FeedbackResponded': {
      const { feedbackId, text } = e.data;
      const feedback = doc.feedback.map((f) =>
        f.feedbackId === feedbackId ? { ...f, responses: [...f.responses, { text, ...stamp }] } : f,
      );
      return { ...doc, feedback };
    }
    case 'SelfAssessed':
    case 'RaterAssigned':
    case 'BehaviourSurveySubmitted':
    case 'PerformanceRated':
    case 'RatingRevised':
    case 'ResultDelivered':
    case 'ObjectionFiled':
    case 'StatementRecorded':
    case 'ReviewerAssigned':
    case 'ReviewFindingsSubmitted':
    case 'ObjectionDecided':
      return withPeriodEvent(doc, e);
    default:
      return ignoreUnknown(doc, e);
  }
}

/** Period events change that period's view; the top-level predicate follows the rating in force. */
function withPeriodEvent(doc: AppraisalView, e: StoredPeriodEvent): AppraisalView {
  const period = e.data.period;
  const view = evolvePeriod(doc.periods[period] ?? emptyPeriodView(), e, doc.plan.version);
  const predicate = view.rating?.predicate;
  return {
    ...doc,
    periods: { ...doc.periods, [period]: view },
    predicates: predicate === undefined ? doc.predicates : { ...doc.predicates, [period]: predicate },
  };
}

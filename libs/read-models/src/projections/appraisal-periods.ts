import type { AppraisalEvent, ObjectionDecided } from '@ledger/appraisal';
import type { ObjectionView, PeriodView, RatingVersionView, RatingView } from './appraisal-view';
import { ignoreUnknown, stampOf, type Stored } from './stored';

/** The appraisal events that change one evaluation period (evidence has a period too, but lives in a list of its own). */
export type PeriodEvent = Extract<
  AppraisalEvent,
  {
    type:
      | 'SelfAssessed'
      | 'RaterAssigned'
      | 'BehaviourSurveySubmitted'
      | 'PerformanceRated'
      | 'RatingRevised'
      | 'ResultDelivered'
      | 'ObjectionFiled'
      | 'StatementRecorded'
      | 'ReviewerAssigned'
      | 'ReviewFindingsSubmitted'
      | 'ObjectionDecided';
  }
>;
export type StoredPeriodEvent = Stored<PeriodEvent>;

const withObjection = (view: PeriodView, change: (o: ObjectionView) => Partial<ObjectionView>): PeriodView =>
  // Objection events only follow ObjectionFiled (the decider guarantees it); a stray one is ignored.
  view.objection === null ? view : { ...view, objection: { ...view.objection, ...change(view.objection) } };

const withRating = (rating: RatingView | null, next: RatingVersionView): RatingView => ({
  hasilKerja: next.hasilKerja,
  perilakuKerja: next.perilakuKerja,
  justifications: next.justifications,
  predicate: next.predicate,
  version: next.version,
  planVersion: next.planVersion,
  at: next.at,
  by: next.by,
  history: [...(rating?.history ?? []), next],
});

/** Folds one period event into that period's view; `planVersion` is the plan in force at the event. Pure. */
export function evolvePeriod(view: PeriodView, event: StoredPeriodEvent, planVersion: number): PeriodView {
  const stamp = stampOf(event);
  switch (event.type) {
    case 'SelfAssessed': {
      const { hasilKerja, perilakuKerja, note } = event.data;
      return { ...view, selfAssessment: { hasilKerja, perilakuKerja, note: note ?? null, ...stamp } };
    }
    case 'RaterAssigned':
      return { ...view, raters: [...view.raters, { raterId: event.data.raterId, relation: event.data.relation, ...stamp }] };
    case 'BehaviourSurveySubmitted': {
      const { raterId, answers, comment } = event.data;
      return { ...view, surveys: [...view.surveys, { raterId, answers, comment: comment ?? null, submittedAt: stamp.at }] };
    }
    case 'PerformanceRated':
    case 'RatingRevised': {
      const d = event.data;
      const revised = event.type === 'RatingRevised' ? event.data : null;
      const next: RatingVersionView = {
        version: d.version,
        kind: revised === null ? 'RATED' : 'REVISED',
        supersedesVersion: revised?.supersedesVersion ?? null,
        hasilKerja: d.hasilKerja,
        perilakuKerja: d.perilakuKerja,
        justifications: { hasilKerja: d.hasilKerjaJustification, perilakuKerja: d.perilakuKerjaJustification },
        predicate: d.predicate,
        reason: revised?.reason ?? null,
        planVersion,
        ...stamp,
      };
      return { ...view, rating: withRating(view.rating, next) };
    }
    case 'ResultDelivered': {
      const { deliveredAt, predicate, hasilKerja, perilakuKerja, ratingVersion, unitStreamId } = event.data;
      return {
        ...view,
        result: {
          delivered: true,
          final: true,
          deliveredAt,
          predicate,
          deliveredPredicate: predicate,
          hasilKerja,
          perilakuKerja,
          ratingVersion,
          unitStreamId,
          amendedAfterFinalisation: false,
        },
      };
    }
    case 'ObjectionFiled':
      return {
        ...view,
        objection: {
          filedAt: stamp.at,
          filedBy: stamp.by,
          reasons: event.data.reasons,
          statements: [],
          reviewerId: null,
          reviewerAssigned: null,
          findings: null,
          decision: null,
          amendedAfterFinalisation: false,
        },
      };
    case 'StatementRecorded': {
      const { party, statement } = event.data;
      return withObjection(view, (o) => ({ statements: [...o.statements, { party, statement, ...stamp }] }));
    }
    case 'ReviewerAssigned':
      return withObjection(view, () => ({ reviewerId: event.data.reviewerId, reviewerAssigned: stamp }));
    case 'ReviewFindingsSubmitted': {
      const { reviewerId, findings, recommendation } = event.data;
      return withObjection(view, () => ({ findings: { reviewerId, findings, recommendation, ...stamp } }));
    }
    case 'ObjectionDecided':
      return decide(view, event);
    default:
      return ignoreUnknown(view, event);
  }
}

/** An amendment is a new rating version in force (as in the domain's own state); the delivery record keeps what was delivered. */
function decide(view: PeriodView, event: Stored<ObjectionDecided>): PeriodView {
  const { outcome, reasons, previousPredicate, amended } = event.data;
  const stamp = stampOf(event);
  const predicate = amended?.predicate ?? previousPredicate;
  const decided = withObjection(view, () => ({
    decision: { outcome, reasons, previousPredicate, predicate, ...stamp },
    amendedAfterFinalisation: amended !== undefined,
  }));
  if (amended === undefined) return decided;
  const next: RatingVersionView = {
    version: (view.rating?.version ?? 0) + 1,
    kind: 'AMENDED_BY_OBJECTION',
    supersedesVersion: view.rating?.version ?? null,
    hasilKerja: amended.hasilKerja,
    perilakuKerja: amended.perilakuKerja,
    justifications: { hasilKerja: amended.hasilKerjaJustification, perilakuKerja: amended.perilakuKerjaJustification },
    predicate: amended.predicate,
    reason: reasons,
    // The superior amends the rating of the plan that was rated, not a later revision of it.
    planVersion: view.rating?.planVersion ?? 0,
    ...stamp,
  };
  const result =
    decided.result === null
      ? null
      : {
          ...decided.result,
          predicate: amended.predicate,
          hasilKerja: amended.hasilKerja,
          perilakuKerja: amended.perilakuKerja,
          amendedAfterFinalisation: true,
        };
  return { ...decided, rating: withRating(decided.rating, next), result };
}

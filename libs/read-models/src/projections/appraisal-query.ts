import { ANNUAL_PERIOD, creditPoints, followUpFlags, type FollowUpFlag, type Predicate } from '@ledger/appraisal';
import type { AppraisalView } from './appraisal-view';

/** The annual predicate in force and, for a functional position, the credit points it earns. */
export function annualOutcome(view: AppraisalView): { predicate: Predicate | null; creditPoints: number | null } {
  const predicate = view.predicates[ANNUAL_PERIOD] ?? null;
  const coefficient = view.functionalPosition?.annualCoefficient;
  return {
    predicate,
    creditPoints: predicate === null || coefficient === undefined ? null : creditPoints(coefficient, predicate),
  };
}

/** Follow-up flags for `year` from one employee's appraisal documents of several years. */
export function followUpFor(views: readonly AppraisalView[], year: number): FollowUpFlag[] {
  const annual = views.flatMap((v) => {
    const predicate = v.predicates[ANNUAL_PERIOD];
    return predicate === undefined ? [] : [{ year: v.year, predicate }];
  });
  return followUpFlags(annual, year);
}

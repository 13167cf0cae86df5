import { fail } from '../error-codes';
import type { Period, PlanContent } from '../vocabulary';
import type { AppraisalState, CurrentRating } from './state';

/** Approved includes a default plan set by the performance manager. */
export function requireApprovedPlan(s: AppraisalState): PlanContent {
  if (s.planStatus !== 'APPROVED' || !s.approvedPlan) throw fail('PLAN_NOT_APPROVED', { planStatus: s.planStatus });
  return s.approvedPlan;
}

/** A result is final once delivered: nothing of that period changes afterwards except by objection. */
export function requireNotFinal(s: AppraisalState, period: Period): void {
  const delivery = s.periods[period].delivery;
  if (delivery) throw fail('RESULT_ALREADY_FINAL', { period, deliveredAt: delivery.deliveredAt });
}

export function requireRating(s: AppraisalState, period: Period): CurrentRating {
  const rating = s.periods[period].rating;
  if (!rating) throw fail('NOT_RATED', { period });
  return rating;
}

export * from './vocabulary';
export * from './events';
export * from './commands';
export * from './errors';
export * from './policy';
export * from './decider';
export { ERROR_CODES, fail, type ErrorCode } from './error-codes';
export { LIMITS } from './guards';
export { appraisalDecider, memberSnapshot } from './appraisal/decider';
export { PLAN_STATUSES } from './appraisal/state';
export type { AppraisalState, CurrentRating, Delivery, ObjectionState, PeriodState, PlanStatus, PlanVersion } from './appraisal/state';
export { unitDecider } from './unit/decider';
export { SERVICE_ID } from './unit/decide';
export { serviceDecider } from './service/decider';
export type { ServiceState } from './service/state';
export { COMMENT_MAX } from './service/decide';
export * from './service/skm';
export * from './service/personal-data';
export { authoriseDeliveryCompletion } from './unit/decide';
export { unitFacts, type UnitPeriodState, type UnitState } from './unit/state';
export { predicateFor } from './rules/predicate';
export { checkDistribution, countPredicates } from './rules/distribution';
export { creditPoints, followUpFlags, type FollowUpFlag } from './rules/follow-up';
export {
  addDays,
  calendarDaysBetween,
  defaultPlanDeadline,
  isObjectionInTime,
  isObjectionOverdue,
  localDate,
  endOfLocalDay,
  evaluationOpensOn,
  isEvaluationOpen,
  objectionDecisionDeadline,
  objectionDeadline,
} from './rules/calendar';

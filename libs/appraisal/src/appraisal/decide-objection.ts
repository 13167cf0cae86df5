import { requireRole } from '../authorise';
import type { AssignReviewer, FileObjection, RecordStatement, SubmitReviewFindings } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { requireId, requireOneOf, requirePeriod, requireText } from '../guards';
import { isObjectionInTime, objectionDeadline } from '../rules/calendar';
import { OBJECTION_OUTCOMES, STATEMENT_PARTIES, type Period } from '../vocabulary';
import { asDecider, asEmployee, peopleWithRoles } from './relations';
import type { AppraisalState, ObjectionState } from './state';

type Decision = AppraisalEvent[];

/** PP 30/2019 Art. 59: the employee, in writing, within the window after delivery, once per result. */
export function fileObjection(c: FileObjection, s: AppraisalState, ctx: DecisionContext): Decision {
  asEmployee(s, ctx);
  const period = requirePeriod(c.data.period, ctx.policy);
  const delivery = s.periods[period].delivery;
  if (!delivery) throw fail('RESULT_NOT_DELIVERED', { period });
  if (s.periods[period].objection) throw fail('OBJECTION_ALREADY_FILED', { period });
  const reasons = requireText(c.data.reasons, 'reasons');
  if (!isObjectionInTime(delivery.deliveredAt, ctx.now, ctx.policy)) {
    throw fail('OBJECTION_WINDOW_CLOSED', {
      period,
      deliveredAt: delivery.deliveredAt,
      lastDayInTime: objectionDeadline(delivery.deliveredAt, ctx.policy),
      timeZone: ctx.policy.timeZone,
      now: ctx.now,
    });
  }
  return [{ type: 'ObjectionFiled', data: { period, reasons } }];
}

function requireUndecided(s: AppraisalState, period: Period): ObjectionState {
  const objection = s.periods[period].objection;
  if (!objection) throw fail('NO_OBJECTION', { period });
  if (objection.decision) throw fail('OBJECTION_ALREADY_DECIDED', { period, outcome: objection.decision.outcome });
  return objection;
}

export function recordStatement(c: RecordStatement, s: AppraisalState, ctx: DecisionContext): Decision {
  const period = asDecider(s, c.data.period, ctx);
  const objection = requireUndecided(s, period);
  const party = requireOneOf(c.data.party, STATEMENT_PARTIES, 'party');
  if (objection.statements[party] !== undefined) throw fail('STATEMENT_ALREADY_RECORDED', { period, party });
  return [{ type: 'StatementRecorded', data: { period, party, statement: requireText(c.data.statement, 'statement') } }];
}

/** The reviewer must be independent: no other role in this appraisal, in any period. */
export function assignReviewer(c: AssignReviewer, s: AppraisalState, ctx: DecisionContext): Decision {
  const period = asDecider(s, c.data.period, ctx);
  const objection = requireUndecided(s, period);
  if (objection.reviewerId !== null) throw fail('REVIEWER_ALREADY_ASSIGNED', { period, reviewerId: objection.reviewerId });
  const reviewerId = requireId(c.data.reviewerId, 'reviewerId');
  const otherRole = peopleWithRoles(s).get(reviewerId);
  if (otherRole !== undefined) throw fail('REVIEWER_HAS_OTHER_ROLE', { reviewerId, otherRole });
  return [{ type: 'ReviewerAssigned', data: { period, reviewerId } }];
}

/** Findings are advisory: they inform the superior's decision, they never decide. */
export function submitReviewFindings(c: SubmitReviewFindings, s: AppraisalState, ctx: DecisionContext): Decision {
  requireRole(ctx, 'PENINJAU');
  const period = requirePeriod(c.data.period, ctx.policy);
  const objection = s.periods[period].objection;
  if (!objection || objection.reviewerId !== ctx.actor.id) throw fail('NOT_THE_ASSIGNED_REVIEWER', { period, actorId: ctx.actor.id });
  requireUndecided(s, period);
  if (objection.findingsSubmitted) throw fail('FINDINGS_ALREADY_SUBMITTED', { period });
  const findings = requireText(c.data.findings, 'findings');
  const recommendation = requireOneOf(c.data.recommendation, OBJECTION_OUTCOMES, 'recommendation');
  return [{ type: 'ReviewFindingsSubmitted', data: { period, reviewerId: ctx.actor.id, findings, recommendation } }];
}

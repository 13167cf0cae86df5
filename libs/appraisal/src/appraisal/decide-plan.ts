import { requireRole } from '../authorise';
import type {
  ApprovePlanRevision,
  DraftPlan,
  ProposePlanRevision,
  RejectPlanRevision,
  ReturnPlan,
  SetBehaviourExpectation,
  SetDefaultPlan,
} from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { requireDateInAppraisalYear, requireOneOf, requireText } from '../guards';
import { BEHAVIOURS } from '../vocabulary';
import { validateDialogue, validatePlan } from './plan-validation';
import { asAppraiser, asEmployee } from './relations';
import { isYearFinal, type AppraisalState } from './state';

type Decision = AppraisalEvent[];

/** Drafting is open until the plan is submitted; a returned plan is drafted again. */
export function draftPlan(c: DraftPlan, s: AppraisalState, ctx: DecisionContext): Decision {
  asEmployee(s, ctx);
  if (s.planStatus === 'SUBMITTED' || s.planStatus === 'APPROVED') throw fail('PLAN_NOT_EDITABLE', { planStatus: s.planStatus });
  const dialogue = validateDialogue(c.data.dialogue);
  requireDateInAppraisalYear(dialogue.heldOn, 'dialogue.heldOn', s.year, ctx);
  return [{ type: 'PlanDrafted', data: { plan: validatePlan(c.data.plan), dialogue } }];
}

export function submitPlan(s: AppraisalState, ctx: DecisionContext): Decision {
  asEmployee(s, ctx);
  if (s.planStatus !== 'DRAFT') throw fail('PLAN_NOT_DRAFTED', { planStatus: s.planStatus });
  return [{ type: 'PlanSubmitted', data: {} }];
}

export function approvePlan(s: AppraisalState, ctx: DecisionContext): Decision {
  asAppraiser(s, ctx);
  if (s.planStatus !== 'SUBMITTED') throw fail('PLAN_NOT_SUBMITTED', { planStatus: s.planStatus });
  return [{ type: 'PlanApproved', data: { version: s.planVersion + 1 } }];
}

export function returnPlan(c: ReturnPlan, s: AppraisalState, ctx: DecisionContext): Decision {
  asAppraiser(s, ctx);
  if (s.planStatus !== 'SUBMITTED') throw fail('PLAN_NOT_SUBMITTED', { planStatus: s.planStatus });
  return [{ type: 'PlanReturned', data: { reason: requireText(c.data.reason, 'reason') } }];
}

/** Once the annual result is final the plan behind it is fixed: only the objection decision amends a result. */
function requirePlanOpen(s: AppraisalState): void {
  if (isYearFinal(s)) throw fail('PLAN_FIXED_BY_FINAL_RESULT', { period: 'TAHUNAN', planVersion: s.planVersion });
}

export function proposePlanRevision(c: ProposePlanRevision, s: AppraisalState, ctx: DecisionContext): Decision {
  asEmployee(s, ctx);
  requirePlanOpen(s);
  if (s.planStatus !== 'APPROVED') throw fail('PLAN_NOT_APPROVED', { planStatus: s.planStatus });
  if (s.pendingRevision) throw fail('REVISION_ALREADY_PENDING');
  const reason = requireText(c.data.reason, 'reason');
  return [{ type: 'PlanRevisionProposed', data: { plan: validatePlan(c.data.plan), reason } }];
}

export function approvePlanRevision(_c: ApprovePlanRevision, s: AppraisalState, ctx: DecisionContext): Decision {
  asAppraiser(s, ctx);
  if (!s.pendingRevision) throw fail('NO_PENDING_REVISION');
  requirePlanOpen(s);
  return [{ type: 'PlanRevisionApproved', data: { version: s.planVersion + 1 } }];
}

export function rejectPlanRevision(c: RejectPlanRevision, s: AppraisalState, ctx: DecisionContext): Decision {
  asAppraiser(s, ctx);
  if (!s.pendingRevision) throw fail('NO_PENDING_REVISION');
  return [{ type: 'PlanRevisionRejected', data: { reason: requireText(c.data.reason, 'reason') } }];
}

/**
 * The fallback when no plan was in by the deadline: only once the deadline has passed, and
 * never over a plan that is awaiting the appraiser or already approved.
 */
export function setDefaultPlan(c: SetDefaultPlan, s: AppraisalState, ctx: DecisionContext): Decision {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  requirePlanOpen(s);
  if (s.planStatus === 'SUBMITTED') throw fail('PLAN_ALREADY_SUBMITTED');
  if (s.planStatus === 'APPROVED') throw fail('PLAN_ALREADY_APPROVED', { planVersion: s.planVersion });
  if (!(Date.parse(ctx.now) > Date.parse(s.planDeadline))) {
    throw fail('PLAN_DEADLINE_NOT_PASSED', { planDeadline: s.planDeadline, now: ctx.now });
  }
  const reason = requireText(c.data.reason, 'reason');
  return [{ type: 'DefaultPlanSet', data: { plan: validatePlan(c.data.plan), version: s.planVersion + 1, reason } }];
}

export function setBehaviourExpectation(c: SetBehaviourExpectation, s: AppraisalState, ctx: DecisionContext): Decision {
  asAppraiser(s, ctx);
  requirePlanOpen(s);
  const behaviour = requireOneOf(c.data.behaviour, BEHAVIOURS, 'behaviour');
  return [{ type: 'BehaviourExpectationSet', data: { behaviour, expectation: requireText(c.data.expectation, 'expectation') } }];
}

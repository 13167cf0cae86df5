import { requireRole } from '../authorise';
import type { OpenAppraisal, ReassignAppraiser, SetPlanDeadline } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import { appraisalIdFor, type AppraisalEvent } from '../events';
import { LIMITS, requireFinite, requireId, requireInstant, requireNip, requireText, requireYear } from '../guards';
import { defaultPlanDeadline } from '../rules/calendar';
import { allRaterIds, allReviewerIds, type AppraisalState } from './state';

export function openAppraisal(c: OpenAppraisal, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  if (s.opened) throw fail('APPRAISAL_ALREADY_OPENED', { appraisalId: s.appraisalId });
  const d = c.data;
  const employeeNip = requireNip(d.employeeNip, 'employeeNip');
  const year = requireYear(d.year);
  if (d.appraisalId !== appraisalIdFor(employeeNip, year)) {
    throw fail('APPRAISAL_ID_MISMATCH', { field: 'appraisalId', value: d.appraisalId, expected: appraisalIdFor(employeeNip, year) });
  }
  const appraiserId = requireNip(d.appraiserId, 'appraiserId');
  const superiorId = requireNip(d.superiorId, 'superiorId');
  requireDistinct(employeeNip, appraiserId, superiorId);
  const planDeadline = d.planDeadline === undefined ? defaultPlanDeadline(year, ctx.policy) : requireInstant(d.planDeadline, 'planDeadline');
  const data: Extract<AppraisalEvent, { type: 'AppraisalOpened' }>['data'] = {
    appraisalId: d.appraisalId,
    employeeNip,
    employeeName: requireText(d.employeeName, 'employeeName', LIMITS.name),
    year,
    unitId: requireId(d.unitId, 'unitId'),
    appraiserId,
    superiorId,
    planDeadline,
  };
  if (d.functionalPosition !== undefined) {
    data.functionalPosition = {
      name: requireText(d.functionalPosition?.name, 'functionalPosition.name', LIMITS.name),
      annualCoefficient: requireFinite(d.functionalPosition?.annualCoefficient, 'functionalPosition.annualCoefficient', 0),
    };
  }
  return [{ type: 'AppraisalOpened', data }];
}

function requireDistinct(employeeNip: string, appraiserId: string, superiorId: string): void {
  if (new Set([employeeNip, appraiserId, superiorId]).size !== 3) {
    throw fail('PARTIES_NOT_DISTINCT', { employeeNip, appraiserId, superiorId });
  }
}

/** A new appraiser must not already rate this employee (360) nor review an objection on it. */
export function reassignAppraiser(c: ReassignAppraiser, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  const appraiserId = requireNip(c.data.appraiserId, 'appraiserId');
  const superiorId = requireNip(c.data.superiorId, 'superiorId');
  const reason = requireText(c.data.reason, 'reason');
  requireDistinct(s.employeeNip, appraiserId, superiorId);
  if (allRaterIds(s).includes(appraiserId)) throw fail('RATER_IS_APPRAISER', { appraiserId });
  const reviewers = allReviewerIds(s);
  for (const [role, id] of [['appraiserId', appraiserId], ['superiorId', superiorId]] as const) {
    if (reviewers.includes(id)) throw fail('REVIEWER_HAS_OTHER_ROLE', { reviewerId: id, otherRole: role });
  }
  return [{ type: 'AppraiserReassigned', data: { appraiserId, superiorId, reason } }];
}

export function setPlanDeadline(c: SetPlanDeadline, _s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  const planDeadline = requireInstant(c.data.planDeadline, 'planDeadline');
  const reason = requireText(c.data.reason, 'reason');
  return [{ type: 'PlanDeadlineSet', data: { planDeadline, reason } }];
}

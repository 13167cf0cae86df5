import { requireRole } from '../authorise';
import type { CorrectAppraisalUnit, OpenAppraisal, ReassignAppraiser, SetPlanDeadline, UnitFacts } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import { appraisalIdFor, type AppraisalEvent } from '../events';
import {
  LIMITS,
  requireFinite,
  requireId,
  requireInstantInYear,
  requireNip,
  requireText,
  requireYear,
  requireYearNotAhead,
} from '../guards';
import { defaultPlanDeadline } from '../rules/calendar';
import { PERIODS } from '../vocabulary';
import { allRaterIds, allReviewerIds, disputablePeriods, isYearFinal, type AppraisalState } from './state';

export function openAppraisal(c: OpenAppraisal, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  if (s.opened) throw fail('APPRAISAL_ALREADY_OPENED', { appraisalId: s.appraisalId });
  const d = c.data;
  const employeeNip = requireNip(d.employeeNip, 'employeeNip');
  const year = requireYear(d.year);
  requireYearNotAhead(year, ctx);
  if (d.appraisalId !== appraisalIdFor(employeeNip, year)) {
    throw fail('APPRAISAL_ID_MISMATCH', { field: 'appraisalId', value: d.appraisalId, expected: appraisalIdFor(employeeNip, year) });
  }
  const appraiserId = requireNip(d.appraiserId, 'appraiserId');
  const superiorId = requireNip(d.superiorId, 'superiorId');
  requireDistinct(employeeNip, appraiserId, superiorId);
  const planDeadline =
    d.planDeadline === undefined
      ? defaultPlanDeadline(year, ctx.policy)
      : requireInstantInYear(d.planDeadline, 'planDeadline', year, ctx.policy);
  const unitId = requireId(d.unitId, 'unitId');
  requireJoinableUnit(d.unit, unitId, year);
  const data: Extract<AppraisalEvent, { type: 'AppraisalOpened' }>['data'] = {
    appraisalId: d.appraisalId,
    employeeNip,
    employeeName: requireText(d.employeeName, 'employeeName', LIMITS.name),
    year,
    unitId,
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

/** The unit must exist for the appraisal's year, and its year must not be closed already. */
function requireJoinableUnit(unit: UnitFacts | null | undefined, unitId: string, year: number): void {
  if (!unit || unit.unitId !== unitId || unit.year !== year) throw fail('UNKNOWN_UNIT', { field: 'unitId', value: unitId, year });
  if (unit.finalisedPeriods.includes('TAHUNAN')) throw fail('UNIT_YEAR_FINALISED', { field: 'unitId', value: unitId, year });
}

/**
 * A unit named by mistake is corrected by the performance manager, with a reason, as long as no
 * result of this appraisal is final: a delivered result belongs to the unit that finalised it.
 */
export function correctAppraisalUnit(c: CorrectAppraisalUnit, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  const delivered = PERIODS.filter((p) => s.periods[p].delivery !== null);
  if (delivered.length > 0) throw fail('UNIT_FIXED_BY_FINAL_RESULT', { unitId: s.unitId, delivered });
  // Checked by a finalisation whose delivery a crash left out: it is final in that unit too.
  if (c.data.currentUnit?.checkedAppraisalIds.includes(s.appraisalId))
    throw fail('UNIT_FIXED_BY_FINAL_RESULT', { unitId: s.unitId, checked: true });
  const unitId = requireId(c.data.unitId, 'unitId');
  if (unitId === s.unitId) throw fail('UNIT_UNCHANGED', { field: 'unitId', value: unitId });
  const reason = requireText(c.data.reason, 'reason');
  requireJoinableUnit(c.data.unit, unitId, s.year);
  return [{ type: 'AppraisalUnitCorrected', data: { unitId, previousUnitId: s.unitId, reason } }];
}

function requireDistinct(employeeNip: string, appraiserId: string, superiorId: string): void {
  if (new Set([employeeNip, appraiserId, superiorId]).size !== 3) {
    throw fail('PARTIES_NOT_DISTINCT', { employeeNip, appraiserId, superiorId });
  }
}

/**
 * A reassignment never makes one person hold two roles, and never chooses who decides an objection:
 * - the new appraiser and the new superior are not 360 raters and not reviewers of this appraisal;
 * - the new superior (who decides objections) is nobody who rated or revised a rating of a period
 *   that can still be disputed (rated, and its objection not decided): judged by person, so a
 *   former appraiser cannot be moved into the deciding seat for their own rating.
 * It may happen at any time otherwise (after delivery, during an objection): people move on.
 */
export function reassignAppraiser(c: ReassignAppraiser, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  const appraiserId = requireNip(c.data.appraiserId, 'appraiserId');
  const superiorId = requireNip(c.data.superiorId, 'superiorId');
  const reason = requireText(c.data.reason, 'reason');
  requireDistinct(s.employeeNip, appraiserId, superiorId);
  if (allRaterIds(s).includes(appraiserId)) throw fail('RATER_IS_APPRAISER', { appraiserId });
  if (allRaterIds(s).includes(superiorId)) throw fail('RATER_IS_SUPERIOR', { superiorId });
  const rated = disputablePeriods(s).filter((p) => s.periods[p].ratedBy.includes(superiorId));
  if (rated.length > 0) throw fail('SUPERIOR_HAS_RATED', { superiorId, periods: rated });
  const reviewers = allReviewerIds(s);
  for (const [role, id] of [
    ['appraiserId', appraiserId],
    ['superiorId', superiorId],
  ] as const) {
    if (reviewers.includes(id)) throw fail('REVIEWER_HAS_OTHER_ROLE', { reviewerId: id, otherRole: role });
  }
  return [{ type: 'AppraiserReassigned', data: { appraiserId, superiorId, reason } }];
}

export function setPlanDeadline(c: SetPlanDeadline, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  if (isYearFinal(s)) throw fail('PLAN_FIXED_BY_FINAL_RESULT', { period: 'TAHUNAN' });
  const planDeadline = requireInstantInYear(c.data.planDeadline, 'planDeadline', s.year, ctx.policy);
  const reason = requireText(c.data.reason, 'reason');
  return [{ type: 'PlanDeadlineSet', data: { planDeadline, reason } }];
}

import { actAs } from '../authorise';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import { requirePeriod } from '../guards';
import type { Period } from '../vocabulary';
import type { AppraisalState } from './state';

/** The relationships of one appraisal, as named when it was opened or last reassigned. */
export const asEmployee = (s: AppraisalState, ctx: DecisionContext): void => actAs(ctx, 'PEGAWAI', s.employeeNip, 'NOT_THE_EMPLOYEE');
export const asAppraiser = (s: AppraisalState, ctx: DecisionContext): void =>
  actAs(ctx, 'PEJABAT_PENILAI', s.appraiserId, 'NOT_THE_APPRAISER');
export const asSuperior = (s: AppraisalState, ctx: DecisionContext): void =>
  actAs(ctx, 'ATASAN_PEJABAT_PENILAI', s.superiorId, 'NOT_THE_SUPERIOR');

/**
 * Who decides an objection, and records the statements as its decider: the named superior, and
 * never a person who rated or revised that period's rating (PP 30/2019 Art. 59: the appraiser never
 * decides), judged by person, so a reassignment cannot seat the rater as decider.
 */
export function asDecider(s: AppraisalState, period: unknown, ctx: DecisionContext): Period {
  if (ctx.actor.role === 'PEJABAT_PENILAI' || ctx.actor.id === s.appraiserId) {
    throw fail('APPRAISER_CANNOT_DECIDE_OBJECTION', { actorId: ctx.actor.id });
  }
  asSuperior(s, ctx);
  const p = requirePeriod(period, ctx.policy);
  if (s.periods[p].ratedBy.includes(ctx.actor.id))
    throw fail('APPRAISER_CANNOT_DECIDE_OBJECTION', { actorId: ctx.actor.id, period: p, rated: true });
  return p;
}

/** Everyone with a role in this appraisal now or before (a reviewer has none of them). */
export function peopleWithRoles(s: AppraisalState): Map<string, string> {
  const roles = new Map<string, string>();
  const add = (id: string, role: string) => {
    if (!roles.has(id)) roles.set(id, role);
  };
  add(s.employeeNip, 'PEGAWAI');
  add(s.appraiserId, 'PEJABAT_PENILAI');
  add(s.superiorId, 'ATASAN_PEJABAT_PENILAI');
  for (const p of Object.values(s.periods)) {
    p.ratedBy.forEach((id) => add(id, 'PEJABAT_PENILAI'));
    p.raters.forEach((r) => add(r.raterId, 'REKAN_KERJA'));
  }
  s.formerHolders.forEach((id) => add(id, 'FORMER_HOLDER'));
  return roles;
}

import type { AppraisalCommand } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  APPRAISAL_COMMANDS,
  REVISED_PLAN,
  appraiser,
  ctx,
  delivered,
  employee,
  given,
  manager,
  pair,
  rated,
  withApprovedPlan,
  withDeliveredAnnual,
} from '../testing';

// Once a result is final, the plan and the ratings behind it are fixed: only the objection
// decision amends them; what the plan looked like when it was rated stays what the result refers to.

const proposed: AppraisalEvent = { type: 'PlanRevisionProposed', data: { plan: REVISED_PLAN, reason: 'Penugasan baru' } };
const revisionApproved: AppraisalEvent = { type: 'PlanRevisionApproved', data: { version: 2 } };
const planChanges: [string, AppraisalCommand, 'employee' | 'appraiser' | 'manager'][] = [
  ['ProposePlanRevision', APPRAISAL_COMMANDS.ProposePlanRevision, 'employee'],
  ['SetDefaultPlan', APPRAISAL_COMMANDS.SetDefaultPlan, 'manager'],
  ['SetBehaviourExpectation', APPRAISAL_COMMANDS.SetBehaviourExpectation, 'appraiser'],
  ['SetPlanDeadline', APPRAISAL_COMMANDS.SetPlanDeadline, 'manager'],
];
const actors = { employee, appraiser, manager };

describe('the annual result is final: the plan behind it is fixed', () => {
  it.each(planChanges)('%s is refused after the annual result was delivered', (_name, command, who) => {
    given(withDeliveredAnnual())
      .when(command, ctx(actors[who], '2026-02-12T03:00:00.000Z'))
      .thenThrows('PLAN_FIXED_BY_FINAL_RESULT', { period: 'TAHUNAN' });
  });

  it('a revision proposed before the delivery cannot be approved after it', () => {
    const history = withDeliveredAnnual();
    const pendingThenDelivered = [...history.slice(0, -2), proposed, ...history.slice(-2)];
    given(pendingThenDelivered).when(APPRAISAL_COMMANDS.ApprovePlanRevision, ctx(appraiser)).thenThrows('PLAN_FIXED_BY_FINAL_RESULT');
    // Rejecting it changes nothing, so it stays possible (it clears the pending proposal).
    expect(given(pendingThenDelivered).when(APPRAISAL_COMMANDS.RejectPlanRevision, ctx(appraiser)).events()).toHaveLength(1);
  });

  it('a final quarter leaves the plan open for the rest of the year, and its result keeps the version it was rated on', () => {
    const q1Final = [...withApprovedPlan(), rated('TRIWULAN_I'), delivered('TRIWULAN_I', '2025-04-02T03:00:00.000Z')];
    given(q1Final)
      .when(APPRAISAL_COMMANDS.ProposePlanRevision, ctx(employee))
      .then([{ type: 'PlanRevisionProposed', data: APPRAISAL_COMMANDS.ProposePlanRevision.data }]);
    const folded = given([...q1Final, proposed, revisionApproved]).state;
    expect(folded.planVersion).toBe(2);
    expect(folded.periods.TRIWULAN_I.rating).toMatchObject({ version: 1, planVersion: 1 });
    const q2 = given([...q1Final, proposed, revisionApproved])
      .when(
        { type: 'RatePerformance', data: { ...APPRAISAL_COMMANDS.RatePerformance.data, period: 'TRIWULAN_II' } },
        ctx(appraiser, '2025-06-02T03:00:00.000Z'),
      )
      .then([
        {
          type: 'PerformanceRated',
          data: { period: 'TRIWULAN_II', ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), version: 1, predicate: 'BAIK' },
        },
      ]);
    expect(q2.periods.TRIWULAN_II.rating?.planVersion).toBe(2);
  });

  it('ratings of a final period change only through the objection decision', () => {
    given(withDeliveredAnnual())
      .when({ ...APPRAISAL_COMMANDS.ReviseRating, data: { ...APPRAISAL_COMMANDS.ReviseRating.data, period: 'TAHUNAN' } }, ctx(appraiser))
      .thenThrows('RESULT_ALREADY_FINAL');
  });
});

describe('smaller rules in the same spirit', () => {
  const ratedQ1 = [...withApprovedPlan(), rated('TRIWULAN_I')];

  it('a rating revision identical to the current ratings is refused, as an unchanged amendment is', () => {
    const same = {
      type: 'ReviseRating' as const,
      data: { period: 'TRIWULAN_I' as const, ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'lain'), reason: 'Koreksi kata' },
    };
    given(ratedQ1)
      .when(same, ctx(appraiser))
      .thenThrows('REVISION_UNCHANGED', { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', version: 1 });
  });

  it('the self-assessment comes before the appraiser rates the period', () => {
    given(ratedQ1).when(APPRAISAL_COMMANDS.SelfAssess, ctx(employee)).thenThrows('SELF_ASSESSMENT_AFTER_RATING', { period: 'TRIWULAN_I' });
  });

  it('the self-assessment note is optional, and stored exactly as sent: absent stays absent', () => {
    const { note: _note, ...withoutNote } = APPRAISAL_COMMANDS.SelfAssess.data;
    given(withApprovedPlan())
      .when({ type: 'SelfAssess', data: withoutNote }, ctx(employee))
      .then([{ type: 'SelfAssessed', data: withoutNote }]);
    given(withApprovedPlan())
      .when({ type: 'SelfAssess', data: { ...withoutNote, note: 7 as never } }, ctx(employee))
      .thenThrows('TEXT_REQUIRED', { field: 'note' });
  });
});

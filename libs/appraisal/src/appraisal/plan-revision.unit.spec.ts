import type { AppraisalEvent } from '../events';
import { PLAN, REVISED_PLAN, appraiser, ctx, drafted, employee, given, manager, opened, submitted, withApprovedPlan } from '../testing';

const proposed: AppraisalEvent = { type: 'PlanRevisionProposed', data: { plan: REVISED_PLAN, reason: 'Penugasan pendampingan' } };
const propose = { type: 'ProposePlanRevision', data: { plan: REVISED_PLAN, reason: 'Penugasan pendampingan' } } as const;

describe('plan revisions after approval', () => {
  it('the employee proposes a revision with a reason', () => {
    given(withApprovedPlan()).when(propose, ctx(employee)).then([proposed]);
  });

  it('needs an approved plan, a reason, a valid plan and no other pending revision', () => {
    given([opened(), drafted()]).when(propose, ctx(employee)).thenThrows('PLAN_NOT_APPROVED');
    given(withApprovedPlan())
      .when({ ...propose, data: { ...propose.data, reason: ' ' } }, ctx(employee))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
    given(withApprovedPlan())
      .when({ ...propose, data: { ...propose.data, plan: { results: [] } } }, ctx(employee))
      .thenThrows('PLAN_WITHOUT_MAIN_RESULT');
    given([...withApprovedPlan(), proposed])
      .when(propose, ctx(employee))
      .thenThrows('REVISION_ALREADY_PENDING');
  });

  it('the appraiser approves it as the next version; every version stays', () => {
    const state = given([...withApprovedPlan(), proposed])
      .when({ type: 'ApprovePlanRevision', data: {} }, ctx(appraiser))
      .then([{ type: 'PlanRevisionApproved', data: { version: 2 } }]);
    expect(state.planVersion).toBe(2);
    expect(state.approvedPlan).toEqual(REVISED_PLAN);
    expect(state.pendingRevision).toBeNull();
    expect(state.planVersions.map((v) => [v.version, v.source, v.plan])).toEqual([
      [1, 'APPROVED', PLAN],
      [2, 'REVISION', REVISED_PLAN],
    ]);
  });

  it('the appraiser rejects it with a reason; the plan in force stays, a new proposal is possible', () => {
    const state = given([...withApprovedPlan(), proposed])
      .when({ type: 'RejectPlanRevision', data: { reason: 'Di luar tugas' } }, ctx(appraiser))
      .then([{ type: 'PlanRevisionRejected', data: { reason: 'Di luar tugas' } }]);
    expect(state).toMatchObject({ planVersion: 1, approvedPlan: PLAN, pendingRevision: null });
    given([...withApprovedPlan(), proposed, { type: 'PlanRevisionRejected', data: { reason: 'x' } }])
      .when(propose, ctx(employee))
      .then([proposed]);
  });

  it('a rejection needs a reason; approving or rejecting needs a pending revision', () => {
    given([...withApprovedPlan(), proposed])
      .when({ type: 'RejectPlanRevision', data: { reason: '' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED');
    given(withApprovedPlan()).when({ type: 'ApprovePlanRevision', data: {} }, ctx(appraiser)).thenThrows('NO_PENDING_REVISION');
    given(withApprovedPlan())
      .when({ type: 'RejectPlanRevision', data: { reason: 'x' } }, ctx(appraiser))
      .thenThrows('NO_PENDING_REVISION');
  });
});

describe('SetDefaultPlan', () => {
  const setDefault = { type: 'SetDefaultPlan', data: { plan: PLAN, reason: 'Tidak ada SKP sampai batas waktu' } } as const;
  const AFTER = '2025-01-31T17:00:00.000Z'; // 00:00 WIB on 1 February
  const AT = '2025-01-31T16:59:59.999Z'; // the deadline itself
  const defaultSet: AppraisalEvent = {
    type: 'DefaultPlanSet',
    data: { plan: PLAN, version: 1, reason: 'Tidak ada SKP sampai batas waktu' },
  };

  it('sets an approved default plan once the deadline has passed without a plan', () => {
    const state = given([opened()]).when(setDefault, ctx(manager, AFTER)).then([defaultSet]);
    expect(state).toMatchObject({ planStatus: 'APPROVED', planVersion: 1, approvedPlan: PLAN });
    expect(state.planVersions[0].source).toBe('DEFAULT');
  });

  it('also over an unsubmitted draft or a returned plan', () => {
    given([opened(), drafted()]).when(setDefault, ctx(manager, AFTER)).then([defaultSet]);
    given([opened(), drafted(), submitted, { type: 'PlanReturned', data: { reason: 'x' } }])
      .when(setDefault, ctx(manager, AFTER))
      .then([defaultSet]);
  });

  it('not before nor at the deadline', () => {
    given([opened()]).when(setDefault, ctx(manager, AT)).thenThrows('PLAN_DEADLINE_NOT_PASSED', { planDeadline: AT });
    given([opened()]).when(setDefault, ctx(manager, '2025-01-15T00:00:00Z')).thenThrows('PLAN_DEADLINE_NOT_PASSED');
  });

  it('follows a moved deadline', () => {
    const moved: AppraisalEvent = { type: 'PlanDeadlineSet', data: { planDeadline: '2025-02-14T16:59:59.999Z', reason: 'Perpanjangan' } };
    given([opened(), moved]).when(setDefault, ctx(manager, AFTER)).thenThrows('PLAN_DEADLINE_NOT_PASSED');
    given([opened(), moved]).when(setDefault, ctx(manager, '2025-02-14T17:00:00Z')).then([defaultSet]);
  });

  it('not over a submitted or an approved plan', () => {
    given([opened(), drafted(), submitted]).when(setDefault, ctx(manager, AFTER)).thenThrows('PLAN_ALREADY_SUBMITTED');
    given(withApprovedPlan()).when(setDefault, ctx(manager, AFTER)).thenThrows('PLAN_ALREADY_APPROVED');
  });

  it('needs a reason and a valid plan', () => {
    given([opened()])
      .when({ ...setDefault, data: { ...setDefault.data, reason: '  ' } }, ctx(manager, AFTER))
      .thenThrows('TEXT_REQUIRED');
    given([opened()])
      .when({ ...setDefault, data: { ...setDefault.data, plan: { results: [] } } }, ctx(manager, AFTER))
      .thenThrows('PLAN_WITHOUT_MAIN_RESULT');
  });
});
